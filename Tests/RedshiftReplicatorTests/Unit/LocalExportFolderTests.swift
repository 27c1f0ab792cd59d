import Foundation
import Testing
@testable import RedshiftReplicator

@Suite("Local export folder")
struct LocalExportFolderTests {
    @Test("a replication's folder is its owner's only (0700), created under a missing local_path, and removed whole")
    func folderIsPrivate() throws {
        let root = NSTemporaryDirectory() + "rrr-folder-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = LocalExportFolder(localPath: root + "/nested", key: "users_20261130T000000Z_abc")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "leftover".write(toFile: root + "/placeholder", atomically: true, encoding: .utf8)
        try folder.create()
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        #expect(mode == 0o700, "mode \(String(mode ?? 0, radix: 8))")
        try "rows".write(toFile: folder.path + "/users.0.csv.gz", atomically: true, encoding: .utf8)
        try folder.create()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "an earlier attempt's files are gone")
        folder.remove()
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(FileManager.default.fileExists(atPath: root + "/placeholder"), "local_path itself is left alone")
    }
}
