VALUE = "dynamic"
