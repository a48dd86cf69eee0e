import ArgumentParser
import BounceMatch

/// The options every subcommand that reads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file; repeat to load several files in order.", valueName: "FILE"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Rule file format (default: detected). One of: \(RuleFormats.all.map(\.name).joined(separator: ", ")).", valueName: "NAME"))
    var format: String?

    @Flag(help: "Rules that do not say otherwise match case-sensitively (the default is ASCII case-insensitive).")
    var caseSensitive = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one --rules FILE") }
        if let format, RuleFormats.named(format) == nil {
            throw ValidationError("unknown format '\(format)'; known: \(RuleFormats.all.map(\.name).joined(separator: ", "))")
        }
    }

    var loadOptions: LoadOptions {
        var o = LoadOptions()
        o.caseSensitive = caseSensitive
        o.format = format
        return o
    }

    /// Loads the rule set or prints every error (file:line:col: reason) and exits 1.
    func load() throws -> RuleSet {
        do {
            return try RuleLoader.load(files: files, options: loadOptions)
        } catch {
            for e in error.errors { printError("\(e)") }
            printError("\(error.errors.count) error(s); no rules loaded")
            throw ExitCode(1)
        }
    }
}

/// Reply context given on the command line, applied to every reply.
struct ContextOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Recipient domain (or address) of the replies.", valueName: "D"))
    var domain: String?

    @Option(help: ArgumentHelp("Sending (MTA) IP of the replies.", valueName: "A"))
    var ip: String?

    @Option(help: ArgumentHelp("SMTP phase: \(SMTPPhase.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "P"))
    var phase: String?

    func validate() throws {
        if let ip, IPAddress(parsing: ip) == nil { throw ValidationError("--ip '\(ip)' is not an IPv4 or IPv6 address") }
        if let phase, SMTPPhase(rawValue: phase) == nil {
            throw ValidationError("--phase must be one of \(SMTPPhase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var context: ReplyContext {
        let d = domain.map { $0.split(separator: "@").last.map(String.init) ?? $0 }
        return ReplyContext(recipientDomain: d, sendingIP: ip, phase: phase.flatMap(SMTPPhase.init(rawValue:)))
    }
}

/// Picks a backend by name.
func lookupBackend(_ name: String) throws -> BackendDescriptor {
    guard let d = Backends.named(name) else {
        throw ValidationError("unknown backend '\(name)'; known: \(Backends.names.joined(separator: ", "))")
    }
    return d
}

func makeMatcher(_ d: BackendDescriptor, _ rules: RuleSet, _ options: MatcherOptions = MatcherOptions()) throws -> any Matcher {
    do {
        return try d.make(rules, options)
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

func printError(_ s: String) {
    var err = StandardError()
    print(s, to: &err)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var s = string
        // fd 2 directly: Glibc's `stderr` global is not concurrency-safe under Swift 6.
        s.withUTF8 { p in _ = Glibc.write(2, p.baseAddress, p.count) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
