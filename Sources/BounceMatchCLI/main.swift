import ArgumentParser
import BounceMatch
print("placeholder")
