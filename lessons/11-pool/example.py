# A Pool keeps worker processes alive and sends them tasks. Each task
# (the function's name and its arguments) is pickled, under every start
# method; each result is pickled on the way back.
import multiprocessing


def square(x):
    return x * x


def total(numbers):
    return sum(numbers)


if __name__ == '__main__':
    pool = multiprocessing.Pool(2)  # two worker processes
    # Small tasks: each carries the name of square and one number.
    print(pool.map(square, range(4)))
    # Big tasks: each carries the whole list of 10,000 numbers, so the
    # same list is pickled again for every one of the 4 tasks.
    big = list(range(10000))
    print(pool.map(total, [big] * 4))
    pool.close()  # no more tasks: the workers may finish
    pool.join()
