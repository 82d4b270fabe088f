"""Print the start method as the program sees it, before and after first use."""
import multiprocessing

if __name__ == "__main__":
    print("chosen before use:", multiprocessing.get_start_method(allow_none=True))
    print("in use:", multiprocessing.get_start_method())
