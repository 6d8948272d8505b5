def scale(café, factors=[]):
    return [café * f for f in factors]
