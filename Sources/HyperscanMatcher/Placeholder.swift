import Matching
