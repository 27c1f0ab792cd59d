/// rrr's version: printed by `rrr --version`, in `--json` output and kept in each history record.
/// Bumped by hand at each release (semantic versioning).
public enum RRRVersion {
    /// The version of this build, e.g. `0.2.0`.
    public static let current = "0.3.0"
}
