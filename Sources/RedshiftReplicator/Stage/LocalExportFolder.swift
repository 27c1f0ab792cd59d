import Foundation

/// The local folder holding one replication's files until they are uploaded; always removed.
struct LocalExportFolder: Sendable {
    let path: String

    /// `<local path>/rrr-<replication key>`.
    init(localPath: String, key: String) {
        path = (localPath as NSString).appendingPathComponent("rrr-" + key.replacingOccurrences(of: "/", with: "_"))
    }

    /// Creates the folder afresh (an earlier attempt's leftovers are removed first).
    func create() throws {
        remove()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder and everything in it; never fails.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
