import ExportFiles
import Foundation
import Testing

@Suite("ExportManifest")
struct ExportManifestTests {
    private let files = [
        ExportFile(sliceIndex: 0, path: "/tmp/x/users.0.csv.gz", compression: .gzip, rowCount: 10,
                   rawByteCount: 1000, compressedByteCount: 321),
        ExportFile(sliceIndex: 1, path: "/tmp/x/users.1.csv.gz", compression: .gzip, rowCount: 9,
                   rawByteCount: 900, compressedByteCount: 300),
    ]

    @Test("the JSON has Redshift's shape: entries with url, mandatory and meta.content_length")
    func jsonShape() throws {
        let manifest = ExportManifest(files: files, bucket: "my-bucket", keyPrefix: "rrr/users/42/")
        let bytes = try manifest.jsonBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""url":"s3://my-bucket/rrr/users/42/users.0.csv.gz""#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Array(object.keys) == ["entries"])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries.map { $0["url"] as? String } == [
            "s3://my-bucket/rrr/users/42/users.0.csv.gz", "s3://my-bucket/rrr/users/42/users.1.csv.gz",
        ])
        #expect(entries.allSatisfy { $0["mandatory"] as? Bool == true })
        #expect(entries.map { ($0["meta"] as? [String: Any])?["content_length"] as? Int } == [321, 300])
    }

    @Test("a manifest parses back to the same value; entries without meta are accepted")
    func parseBack() throws {
        let manifest = ExportManifest(files: files, bucket: "b", keyPrefix: "p/")
        #expect(try ExportManifest(jsonBytes: manifest.jsonBytes()) == manifest)
        let plain = try ExportManifest(jsonBytes: Array(#"{"entries":[{"url":"s3://b/k","mandatory":false}]}"#.utf8))
        #expect(plain.entries == [ExportManifest.Entry(url: "s3://b/k", mandatory: false)])
        #expect { try ExportManifest(jsonBytes: Array("[1]".utf8)) } throws: {
            ($0 as? ExportError)?.code == .manifest
        }
    }
}
