import Foundation

/// The local folder holding one replication's files until they are uploaded; always removed.
struct LocalExportFolder: Sendable {
    let path: String

    /// `<local path>/rrr-<replication key>`.
    init(localPath: String, key: String) {
        path = (localPath as NSString).appendingPathComponent("rrr-" + key.replacingOccurrences(of: "/", with: "_"))
    }

    /// Creates the folder afresh (an earlier attempt's leftovers are removed first), for its owner
    /// only: the files hold whole tables. `local_path` itself is created when missing but left as is.
    func create() throws {
        remove()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        // The umask can only narrow the mode; set it exactly anyway.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    /// Removes the folder and everything in it; never fails.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
