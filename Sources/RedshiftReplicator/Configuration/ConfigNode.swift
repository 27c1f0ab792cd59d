import Foundation
import Yams

/// A position in the parsed `rrr.yml`: typed accessors that interpolate `${VAR}` and report
/// errors with the dotted setting path. Every key asked for is noted in `usage`, so that what the
/// parser never asked for can be reported as unknown (see ``ConfigKeyUsage``).
struct ConfigNode {
    let node: Node?
    let path: String
    let environment: [String: String]
    let usage: ConfigKeyUsage

    init(node: Node?, path: String, environment: [String: String], usage: ConfigKeyUsage) {
        self.node = node; self.path = path; self.environment = environment; self.usage = usage
    }

    /// The child at `key` (a missing child is a node with no value).
    subscript(key: String) -> ConfigNode {
        usage.asked(key, in: path)
        let child = node?.mapping?[key]
        return ConfigNode(node: child, path: path.isEmpty ? key : "\(path).\(key)", environment: environment, usage: usage)
    }

    /// The mapping's keys in file order (names the user chooses, such as tables), or an error if
    /// this node is a scalar or list.
    func keys() throws(ConfigurationError) -> [String] {
        usage.namesChosenByUser(in: path)
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            throw ConfigurationError(.invalidValue, setting: path, "expected a mapping of names to settings")
        }
        return mapping.keys.compactMap { $0.string }
    }

    /// The interpolated string value, `nil` when absent or YAML null.
    func string() throws(ConfigurationError) -> String? {
        guard let node else { return nil }
        if node.mapping != nil || node.sequence != nil {
            throw ConfigurationError(.invalidValue, setting: path, "expected a single value")
        }
        guard let raw = node.scalar?.string else { return nil }
        if raw.isEmpty || raw == "~" || raw == "null" { return nil }
        let value = try Interpolation.expand(raw, environment: environment, setting: path)
        return value.isEmpty ? nil : value
    }

    /// An integer value at least `minimum`.
    func int(minimum: Int = 0, maximum: Int = .max) throws(ConfigurationError) -> Int? {
        guard let text = try string() else { return nil }
        guard let value = Int(text), value >= minimum, value <= maximum else {
            let range = maximum == .max ? ">= \(minimum)" : "from \(minimum) to \(maximum)"
            throw ConfigurationError(.invalidValue, setting: path, "expected a whole number \(range), got '\(text)'")
        }
        return value
    }

    /// A boolean (`true/false/yes/no/on/off/1/0`).
    func bool() throws(ConfigurationError) -> Bool? {
        guard let text = try string()?.lowercased() else { return nil }
        switch text {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(.invalidValue, setting: path, "expected true or false, got '\(text)'")
        }
    }

    /// A list of strings, accepting a YAML list or a comma-separated string.
    func stringList() throws(ConfigurationError) -> [String]? {
        if let sequence = node?.sequence {
            var values: [String] = []
            for (index, item) in sequence.enumerated() {
                if let value = try ConfigNode(node: item, path: "\(path)[\(index)]", environment: environment, usage: usage).string() { values.append(value) }
            }
            return values
        }
        return try string()?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A value from a fixed set of choices, e.g. an enum's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ConfigurationError) -> T? where T.RawValue == String {
        guard let text = try string() else { return nil }
        guard let value = T(rawValue: text.lowercased()) else {
            let options = T.allCases.map(\.rawValue).joined(separator: " | ")
            throw ConfigurationError(.invalidValue, setting: path, "expected one of \(options), got '\(text)'")
        }
        return value
    }

    /// The value, or the environment variable `fallback`, or an error naming both.
    func required(orEnvironment fallbacks: [String]) throws(ConfigurationError) -> String {
        if let value = try string() { return value }
        for name in fallbacks { if let value = environment[name], !value.isEmpty { return value } }
        let env = fallbacks.isEmpty ? "" : " or set \(fallbacks.joined(separator: " / "))"
        throw ConfigurationError(.missingSetting, setting: path, "required: set `\(path)` in the configuration file\(env)")
    }

    /// The value, or the first set environment variable of `fallbacks`, or `nil`.
    func optional(orEnvironment fallbacks: [String]) throws(ConfigurationError) -> String? {
        if let value = try string() { return value }
        return fallbacks.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }
}

/// `${VAR}` and `${VAR:-default}` expansion in configuration values.
enum Interpolation {
    static func expand(_ text: String, environment: [String: String], setting: String) throws(ConfigurationError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigurationError(.invalidValue, setting: setting, "unterminated ${ in value")
            }
            let expression = rest[start.upperBound..<end]
            let parts = expression.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            if let value = environment[name], !value.isEmpty {
                result += value
            } else if parts.count == 2 {
                result += parts[1]
            } else {
                throw ConfigurationError(.undefinedVariable, setting: setting, "environment variable \(name) is not set")
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
