# A program that fails: an exception at top level exits with status 1.
raise RuntimeError('this program fails on purpose')
