@_exported import Matching
@_exported import BounceRules
@_exported import RegexSyntax
