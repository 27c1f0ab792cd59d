import Testing

@testable import AWSAuth

@Suite("XML reader")
struct XMLReaderTests {
    @Test("S3 error document with entities, CDATA, namespaces and a prolog")
    func errorDocument() throws {
        let root = try XMLNode.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- comment -->
            <Error xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Code>NoSuchKey</Code>\
            <Message>The key &quot;a&amp;b&lt;c&gt;&apos; &#233;&#x263A;</Message><Key><![CDATA[x<y]]></Key><Empty/>\
            <s3:Prefixed attr="a>b">v</s3:Prefixed></Error>
            """)
        #expect(root.name == "Error")
        #expect(root.text(of: "Code") == "NoSuchKey")
        #expect(root.text(of: "Message") == "The key \"a&b<c>' é☺")
        #expect(root.text(of: "Key") == "x<y")
        #expect(root.text(of: "Empty") == "")
        #expect(root.text(of: "Prefixed") == "v")
    }

    @Test("malformed documents are rejected", arguments: ["", "<a>", "<a></b>", "<a>&bogus;</a>", "<a/><b/>", "text"])
    func malformed(document: String) {
        #expect(throws: XMLParseError.self) { try XMLNode.parse(document) }
    }

    @Test("escaping round-trips through the reader")
    func escaping() throws {
        let text = "a&b<c>\"d'e\r\n ☃"
        let root = try XMLNode.parse("<Key>\(xmlEscaped(text))</Key>")
        #expect(root.text == text)
    }
}
