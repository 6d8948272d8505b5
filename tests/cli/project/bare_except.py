import json

try:
    config = json.load(open("config.json"))
except:
    config = {}
