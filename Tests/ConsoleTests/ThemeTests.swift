import Foundation
import Testing

@testable import Console

struct ThemeTests {
    private static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    /// The four shipped themes parse without a single error or warning.
    @Test(arguments: ["default", "high-contrast", "solarized-dark", "mono"])
    func shippedThemesAreClean(name: String) throws {
        let text = try String(contentsOfFile: "\(Self.themesDirectory)/\(name).theme", encoding: .utf8)
        let result = ThemeParser.parse(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(Set(result.styles.keys) == Set(Theme.roles), "\(name) should set every role")
    }

    /// The built-in default and mono themes are exactly the text of their shipped files.
    @Test func builtInThemesMatchTheFiles() throws {
        let defaultText = try String(contentsOfFile: "\(Self.themesDirectory)/default.theme", encoding: .utf8)
        let monoText = try String(contentsOfFile: "\(Self.themesDirectory)/mono.theme", encoding: .utf8)
        #expect(defaultText == Theme.defaultSource + "\n")
        #expect(monoText == Theme.monoSource + "\n")
        #expect(!Theme.builtInMono.usesColor)
        #expect(Theme.builtInDefault.usesColor)
    }

    /// Bad colours, bad attributes and lines without `=` are errors naming their line and the problem.
    @Test func errorsNameTheLine() {
        let text = """
            # a comment
            header = pink
            title = red blinking
            just some words
            border = 300
            selection = black on
            badge = #12345
            hint = cyan # a trailing comment
            """
        let result = ThemeParser.parse(text)
        #expect(result.errors.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(result.errors[0].message == "header: unknown colour 'pink'")
        #expect(result.errors[1].message.hasPrefix("title: unknown attribute 'blinking'"))
        #expect(result.errors[2].message == "expected 'key = style', found no '='")
        #expect(result.errors[3].message == "border: colour 300 is out of range 0–255")
        #expect(result.errors[4].message == "selection: expected a colour after 'on'")
        #expect(result.errors[5].message.contains("expected #RRGGBB"))
        #expect(result.errors[0].formatted(file: "t.theme") == "t.theme:2: error: header: unknown colour 'pink'")
        #expect(result.styles["hint"] == ThemeStyle(foreground: .named(6)))
        #expect(result.warnings.isEmpty)
    }

    /// An unknown key is a warning naming its line and is ignored; a key set twice warns and the last wins.
    @Test func unknownAndDuplicateKeysWarn() {
        let result = ThemeParser.parse("text = white\nheadr = red\ntext = green\n")
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.line) == [2, 3])
        #expect(result.warnings[0].message == "unknown key 'headr' (ignored)")
        #expect(result.warnings[1].message.contains("already set on line 1"))
        #expect(result.styles["headr"] == nil)
        #expect(result.styles["text"] == ThemeStyle(foreground: .named(2)))
    }

    /// Roles a file leaves out come from the built-in default; an unknown role is painted like `text`.
    @Test func missingKeysFallBackToTheDefault() {
        let theme = Theme(name: "partial", styles: ThemeParser.parse("text = red on black bold\n").styles)
        #expect(theme.resolve("header", for: .twoFiftySix) == Theme.builtInDefault.resolve("header", for: .twoFiftySix))
        let text = ResolvedStyle(foreground: 1, background: 0, attributes: .bold)
        #expect(theme.resolve("text", for: .eight) == text)
        #expect(theme.resolve("no.such.role", for: .eight) == text)
        #expect(theme.resolve(nil, for: .eight) == text)
        #expect(theme.resolve("text", for: .none) == ResolvedStyle(attributes: .bold))
    }

    /// A mono line may give attributes alone, and `FG on BG attributes` parses in order.
    @Test func styleSyntax() throws {
        #expect(try ThemeStyle.parse("reverse bold").get() == ThemeStyle(attributes: [.reverse, .bold]))
        #expect(try ThemeStyle.parse("default on blue underline").get() == ThemeStyle(background: .named(4), attributes: .underline))
        #expect(try ThemeStyle.parse("#FFaa00 on 17 dim").get() == ThemeStyle(foreground: .rgb(red: 255, green: 170, blue: 0), background: .indexed(17), attributes: .dim))
        #expect((try? ThemeStyle.parse("bold red").get()) == nil)
    }

    /// `bright-` names are palette 8–15 with 256 colours, the plain colour with 8, nothing in mono.
    @Test func brightNames() throws {
        let color = try ThemeColor.parse("bright-red").get()
        #expect(color == .bright(1))
        #expect(color.terminalColor(for: .twoFiftySix) == 9)
        #expect(color.terminalColor(for: .eight) == 1)
        #expect(color.terminalColor(for: .none) == -1)
        #expect(try ThemeColor.parse("Bright-White").get().terminalColor(for: .twoFiftySix) == 15)
        #expect(throws: ThemeColorError.self) { try ThemeColor.parse("bright-pink").get() }
    }

    /// Theme lookup: a missing theme falls back to the built-in default with a warning, NO_COLOR picks
    /// mono, a file with errors throws.
    @Test func lookupByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "text = red\nbogus = blue\n".write(toFile: folder + "/mine.theme", atomically: true, encoding: .utf8)
        try "text = purple\n".write(toFile: folder + "/broken.theme", atomically: true, encoding: .utf8)

        let missing = try Theme.named("nope", in: folder, environment: [:])
        #expect(missing.theme == Theme.builtInDefault)
        #expect(missing.warnings.count == 1 && missing.warnings[0].contains("'nope' not found"))

        let mine = try Theme.named("mine", in: folder, environment: [:])
        #expect(mine.theme.name == "mine")
        #expect(mine.theme.resolve("text", for: .eight).foreground == 1)
        #expect(mine.warnings == ["\(folder)/mine.theme:2: warning: unknown key 'bogus' (ignored)"])

        let noColor = try Theme.named("mine", in: folder, environment: ["NO_COLOR": "1"])
        #expect(noColor.theme == Theme.builtInMono)
        #expect(noColor.warnings.contains { $0.contains("NO_COLOR") })
        #expect(try Theme.named(nil, in: folder, environment: ["NO_COLOR": ""]).theme == Theme.builtInDefault)

        #expect(throws: ThemeError(code: .invalid, message: "")) { try Theme.named("broken", in: folder, environment: [:]) }
    }
}
