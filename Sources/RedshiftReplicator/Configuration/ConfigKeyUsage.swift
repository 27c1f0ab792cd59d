import Yams

/// The keys the parser asked for at each level of `rrr.yml`. The parser is the one list of valid
/// keys: after it ran, every key in the file it never asked for is a mistake (`look_back:`,
/// `setings:`, `replication_feild:`), reported with the closest key it did ask for.
final class ConfigKeyUsage {
    /// Setting path of a mapping -> the keys asked for in it.
    private var askedKeys: [String: Set<String>] = [:]
    /// Paths whose keys are names the user chooses (the tables), not settings.
    private var userNamed: Set<String> = []

    func asked(_ key: String, in path: String) { askedKeys[path, default: []].insert(key) }
    func namesChosenByUser(in path: String) { userNamed.insert(path) }
    /// The keys asked for in the mapping at `path`: the valid keys there.
    func keysAsked(in path: String) -> Set<String> { askedKeys[path] ?? [] }

    /// Throws for the first key under `node` that the parser never asked for, and for a single
    /// value where the parser expected a mapping of settings (`settings: 5`).
    func checkNoUnknownKeys(_ node: Node?, path: String = "") throws(ConfigurationError) {
        guard let node else { return }
        guard let mapping = node.mapping else {
            let isNull = node.scalar.map { ["", "~", "null"].contains($0.string) } ?? false
            if node.sequence != nil || !isNull, askedKeys[path] != nil || userNamed.contains(path) {
                throw ConfigurationError(.invalidValue, setting: path, "expected a mapping of settings (key: value lines indented below it)")
            }
            return
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if !userNamed.contains(path), !(askedKeys[path] ?? []).contains(key) {
                throw unknownKey(key, path: childPath, known: askedKeys[path] ?? [])
            }
            try checkNoUnknownKeys(value, path: childPath)
        }
    }

    /// When a required setting is missing, a misspelled key beside it is the likelier mistake
    /// (`stratgy: timed` makes `strategy` missing): that key's error, else `nil`.
    func misspelling(causing error: ConfigurationError, in root: Node?) -> ConfigurationError? {
        guard error.code == .missingSetting else { return nil }
        var parts = error.setting.split(separator: ".").map(String.init)
        guard let missing = parts.popLast() else { return nil }
        var node = root
        for part in parts { node = node?.mapping?[part] }
        guard let mapping = node?.mapping else { return nil }
        let parent = parts.joined(separator: ".")
        for key in mapping.keys.compactMap(\.string) where !(askedKeys[parent] ?? []).contains(key) {
            if Self.isClose(key, to: missing) {
                return unknownKey(key, path: parent.isEmpty ? key : "\(parent).\(key)", known: [missing])
            }
        }
        return nil
    }

    private func unknownKey(_ key: String, path: String, known: Set<String>) -> ConfigurationError {
        let sorted = known.sorted()
        if let suggestion = Self.closest(to: key, among: sorted) {
            return ConfigurationError(.unknownSetting, setting: path, "unknown setting `\(key)`; did you mean `\(suggestion)`?")
        }
        let list = sorted.isEmpty ? "" : " (valid here: \(sorted.joined(separator: ", ")))"
        return ConfigurationError(.unknownSetting, setting: path, "unknown setting `\(key)`\(list)")
    }

    /// The key nearest to `key` by edit distance, when near enough to be a typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        var best: (key: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(key.lowercased(), candidate)
            guard distance <= threshold(key) || normalized(candidate) == normalized(key) else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.key < candidate) { continue }
            best = (candidate, distance)
        }
        return best?.key
    }

    static func isClose(_ key: String, to candidate: String) -> Bool { closest(to: key, among: [candidate]) != nil }

    /// `look_back`, `Look-Back` and `lookback` are the same word.
    private static func normalized(_ text: String) -> String { text.lowercased().filter { $0 != "_" && $0 != "-" } }

    private static func threshold(_ key: String) -> Int { max(1, min(3, key.count / 3)) }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours (`feild` -> `field`) each cost 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
