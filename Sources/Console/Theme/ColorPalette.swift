/// The xterm palette, for mapping exact `#RRGGBB` colours to the nearest one a terminal has.
public enum ColorPalette {
    /// xterm's default RGB values for palette entries 0–15.
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The six levels of each channel in the 6×6×6 colour cube (palette 16–231).
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The RGB value of palette entry `index` (0–255).
    public static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        switch index {
        case ..<16:
            return basic[max(index, 0)]
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let level = 8 + 10 * (min(index, 255) - 232)
            return (level, level, level)
        }
    }

    /// The nearest entry of the colour cube or the grey ramp (16–255). Entries 0–15 are left out: every
    /// terminal shows them differently.
    public static func nearest256(red: Int, green: Int, blue: Int) -> Int {
        let levels = [red, green, blue].map(nearestCubeLevel)
        let cubeIndex = 16 + 36 * levels[0] + 6 * levels[1] + levels[2]
        let average = (red + green + blue) / 3
        let greyStep = min(max((average - 8 + 5) / 10, 0), 23)
        let greyIndex = 232 + greyStep
        let cubeDistance = distance(rgb(ofIndex: cubeIndex), (red, green, blue))
        let greyDistance = distance(rgb(ofIndex: greyIndex), (red, green, blue))
        return greyDistance < cubeDistance ? greyIndex : cubeIndex
    }

    /// The nearest of the 8 basic colours (0–7).
    public static func nearestBasic(red: Int, green: Int, blue: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in 0..<8 {
            let candidate = distance(basic[index], (red, green, blue))
            if candidate < bestDistance {
                best = index
                bestDistance = candidate
            }
        }
        return best
    }

    private static func nearestCubeLevel(_ value: Int) -> Int {
        var best = 0
        for (index, level) in cubeLevels.enumerated() where abs(level - value) < abs(cubeLevels[best] - value) {
            best = index
        }
        return best
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let red = a.0 - b.0
        let green = a.1 - b.1
        let blue = a.2 - b.2
        return red * red + green * green + blue * blue
    }
}
