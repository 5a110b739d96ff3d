// placeholder while the skeleton is built
