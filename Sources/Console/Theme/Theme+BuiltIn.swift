// The built-in themes: the exact text of themes/default.theme and themes/mono.theme (a test keeps them equal).
extension Theme {
    static let defaultSource = """
        # Bulwark default theme: the basic colours, so it reads the same on 8- and 256-colour terminals.
        # Format: key = FG [on BG] [bold|dim|reverse|underline]...
        # Colours: default, black red green yellow blue magenta cyan white, bright-<name>, 0-255, #RRGGBB.

        text             = default
        dim              = default dim
        header           = white on blue bold
        header.live      = white on red bold
        title            = cyan bold
        border           = blue
        border.focus     = cyan bold
        selection        = black on cyan

        health.ok        = green bold
        health.degraded  = yellow bold
        health.failed    = white on red bold
        trading.active   = green bold
        trading.reducing = yellow bold
        banner.halted    = white on red bold

        pnl.up           = green
        pnl.down         = red
        guard.reject     = magenta bold
        chaos.on         = black on yellow bold
        chaos.off        = default dim
        chaos.locked     = red dim

        dialog           = white on blue
        dialog.danger    = white on red bold
        button           = black on white
        button.focus     = black on cyan bold
        hint             = cyan
        hint.disabled    = default dim
        badge            = black on white bold

        event.warning    = yellow
        event.error      = red bold
        """

    static let monoSource = """
        # Bulwark mono theme: attributes only, no colours. Used when NO_COLOR is set or the terminal has no colours.
        # State never depends on colour: the console also writes it out in words and symbols.

        text             = default
        dim              = dim
        header           = reverse bold
        header.live      = reverse bold underline
        title            = bold
        border           = default
        border.focus     = bold
        selection        = reverse

        health.ok        = bold
        health.degraded  = bold underline
        health.failed    = reverse bold
        trading.active   = bold
        trading.reducing = bold underline
        banner.halted    = reverse bold

        pnl.up           = default
        pnl.down         = underline
        guard.reject     = bold
        chaos.on         = reverse
        chaos.off        = dim
        chaos.locked     = dim underline

        dialog           = default
        dialog.danger    = bold
        button           = reverse
        button.focus     = reverse bold
        hint             = default
        hint.disabled    = dim
        badge            = reverse

        event.warning    = bold
        event.error      = reverse bold
        """
}
