@testable import Settings
import Testing

struct DotEnvFileTests {
    /// Plain KEY=VALUE pairs are read, with whitespace around the value trimmed.
    @Test func plainAssignments() {
        let file = DotEnvFile(parsing: "A=1\nB = two  \nC=\n")
        #expect(file.problems.isEmpty)
        #expect(file.values == ["A": "1", "B": "two", "C": ""])
    }

    /// An `export ` prefix is accepted and dropped.
    @Test func exportPrefix() {
        let file = DotEnvFile(parsing: "export A=1\nexport\tB=2\n")
        #expect(file.problems.isEmpty)
        #expect(file.values == ["A": "1", "B": "2"])
    }

    /// Single quotes keep their content literally, including `#` and backslashes.
    @Test func singleQuotes() {
        let file = DotEnvFile(parsing: #"A='x # not a comment \n'"# + "\nB='' # empty\n")
        #expect(file.problems.isEmpty)
        #expect(file.values["A"] == #"x # not a comment \n"#)
        #expect(file.values["B"] == "")
    }

    /// Double quotes understand \n, \t, \", \\ and may be followed by a comment.
    @Test func doubleQuotesWithEscapes() {
        let file = DotEnvFile(parsing: #"A="line1\nline2\t\"q\" \\ end" # comment"#)
        #expect(file.problems.isEmpty)
        #expect(file.values["A"] == "line1\nline2\t\"q\" \\ end")
    }

    /// Whole-line comments, indented comments and blank lines are skipped; an unquoted value's
    /// ` # comment` is removed, while a `#` inside a word is kept.
    @Test func commentsAndBlankLines() {
        let file = DotEnvFile(parsing: "# header\n\n   # indented\nA=value # trailing\nB=abc#def\n\t\n")
        #expect(file.problems.isEmpty)
        #expect(file.values == ["A": "value", "B": "abc#def"])
    }

    /// Windows line endings do not leak a carriage return into values.
    @Test func crlfLineEndings() {
        let file = DotEnvFile(parsing: "A=1\r\nB=\"2\"\r\n")
        #expect(file.problems.isEmpty)
        #expect(file.values == ["A": "1", "B": "2"])
    }

    /// Malformed lines are reported with their line numbers, every one of them, and good lines still load.
    @Test func malformedLinesAreReportedWithLineNumbers() {
        let text = """
            GOOD=1
            no equals sign here
            1BAD=2
            BAD-NAME=3
            OPEN="never closed
            SINGLE='also open
            TRAIL="x" extra
            ESC="\\q"
            =nokey
            ALSO_GOOD=ok
            """
        let file = DotEnvFile(parsing: text)
        #expect(file.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(file.problems[0].message.contains("expected KEY=VALUE"))
        #expect(file.problems[3].message.contains("unterminated double quote"))
        #expect(file.problems[4].message.contains("unterminated single quote"))
        #expect(file.problems[5].message.contains("after the closing quote"))
        #expect(file.problems[6].message.contains("unknown escape"))
        #expect(file.values == ["GOOD": "1", "ALSO_GOOD": "ok"])
    }

    /// A key assigned twice keeps the last value and is listed as a duplicate.
    @Test func duplicatesKeepTheLastValue() {
        let file = DotEnvFile(parsing: "A=1\nB=2\nA=3\n")
        #expect(file.values["A"] == "3")
        #expect(file.duplicates == ["A": [1, 3]])
    }
}
