import leaf

VALUE = leaf.VALUE + 1
