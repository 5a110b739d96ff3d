print("bulwark")
