/// A configuration problem, naming the setting at fault (for example `tables.users.strategy`).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What kind of configuration problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case fileUnreadable, invalidYAML, missingSetting, invalidValue, unknownSetting, unknownTable, undefinedVariable }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The configuration file could not be read.
        public static let fileUnreadable = Code(.fileUnreadable)
        /// The file is not valid YAML.
        public static let invalidYAML = Code(.invalidYAML)
        /// A required setting has no value (neither in the file nor in the environment).
        public static let missingSetting = Code(.missingSetting)
        /// A setting has a value of the wrong kind or out of range.
        public static let invalidValue = Code(.invalidValue)
        /// The file has a key rrr does not know (a typo, most often); the message suggests the
        /// closest valid key.
        public static let unknownSetting = Code(.unknownSetting)
        /// A table named on the command line or API is not configured.
        public static let unknownTable = Code(.unknownTable)
        /// `${VAR}` names an environment variable that is not set.
        public static let undefinedVariable = Code(.undefinedVariable)
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// The dotted path of the setting, e.g. `redshift.host` or `tables.users.lookback`.
    public let setting: String
    /// What is wrong, for a human. Never contains a secret value.
    public let message: String
    /// The configuration file, when the configuration was loaded from one.
    public var file: String?

    /// Creates an error about `setting`.
    public init(_ code: Code, setting: String, _ message: String) {
        self.code = code
        self.setting = setting
        self.message = message
    }

    /// `rrr.yml: configuration error in `tables.tags.lookback`: …` (the file when known).
    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        return setting.isEmpty ? "\(place)configuration error: \(message)" : "\(place)configuration error in `\(setting)`: \(message)"
    }
}
