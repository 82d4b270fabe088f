VALUE = "unused"
