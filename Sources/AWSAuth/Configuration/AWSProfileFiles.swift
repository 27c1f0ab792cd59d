import Foundation

/// The shared `credentials` and `config` files (`~/.aws/credentials`, `~/.aws/config`), parsed.
///
/// Sections are `[name]` in the credentials file and `[default]` / `[profile name]` in the config
/// file; other config sections (`[sso-session …]`, `[services …]`) and nested sub-settings are
/// ignored. Keys are case-insensitive; `#` and `;` start comments.
package struct AWSProfileFiles: Sendable, Equatable {
    /// Profile name -> settings, from the credentials file.
    package var credentials: [String: [String: String]]
    /// Profile name -> settings, from the config file.
    package var config: [String: [String: String]]
    /// The paths read, for messages.
    package var credentialsPath: String
    package var configPath: String

    package init(credentials: [String: [String: String]] = [:], config: [String: [String: String]] = [:],
                 credentialsPath: String = "", configPath: String = "") {
        self.credentials = credentials
        self.config = config
        self.credentialsPath = credentialsPath
        self.configPath = configPath
    }

    /// Reads both files; a missing file counts as empty.
    package static func load(credentialsPath: String, configPath: String) throws(AWSAuthError) -> AWSProfileFiles {
        AWSProfileFiles(
            credentials: try read(credentialsPath, isConfig: false),
            config: try read(configPath, isConfig: true),
            credentialsPath: credentialsPath, configPath: configPath)
    }

    /// Whether `name` has settings in either file.
    package func hasProfile(_ name: String) -> Bool {
        credentials[name] != nil || config[name] != nil
    }

    /// A setting of `profile`, the credentials file winning over the config file (as botocore).
    package func value(_ key: String, profile: String) -> String? {
        credentials[profile]?[key] ?? config[profile]?[key]
    }

    private static func read(_ path: String, isConfig: Bool) throws(AWSAuthError) -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AWSAuthError(code: .invalidConfiguration, message: "cannot read \(path)", underlying: error)
        }
        return parse(text, isConfig: isConfig)
    }

    /// Parses one file's text.
    package static func parse(_ text: String, isConfig: Bool) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            // Indented lines continue a nested setting (`s3 =` + sub-keys): not used here.
            if let first = rawLine.first, first == " " || first == "\t" { continue }
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                current = sectionName(String(line[line.index(after: line.startIndex)..<close]).trimmingCharacters(in: .whitespaces), isConfig: isConfig)
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // An inline comment needs whitespace before it (`key = value ; note`).
            for marker in [" #", "\t#", " ;", "\t;"] {
                if let range = value.range(of: marker) { value = value[..<range.lowerBound].trimmingCharacters(in: .whitespaces) }
            }
            if !key.isEmpty { profiles[current]?[key] = value }
        }
        return profiles
    }

    /// The profile a section header names, or `nil` for sections that are not profiles.
    private static func sectionName(_ header: String, isConfig: Bool) -> String? {
        guard isConfig else { return header }
        if header == "default" { return "default" }
        let parts = header.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0] == "profile", !parts[1].isEmpty else { return nil }
        return parts[1]
    }
}
