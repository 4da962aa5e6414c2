"""Shell completion for `quyche`: static bash, zsh and fish scripts generated from the command table.

``quyche --show-completion [bash|zsh|fish]`` prints the script; ``quyche --install-completion
[bash|zsh|fish]`` writes it where the shell looks for completions (the shell: named, else $SHELL):

- bash: ``$XDG_DATA_HOME/bash-completion/completions/quyche`` (loaded by the bash-completion package);
- zsh: ``~/.zfunc/_quyche`` (the folder must be on ``fpath`` before ``compinit``: the command says so);
- fish: ``$XDG_CONFIG_HOME/fish/completions/quyche.fish``.

No start-up file is edited, and a file quyche did not write is never replaced. The scripts are
static (they never run quyche while completing): commands, options, their choices, and file names
where a command takes a path. Descriptions are in the reader's language.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from compliance.command_line import COMMANDS, ROOT_OPTIONS, SHELLS, Reader, _say

__all__ = ["install", "script", "show", "target"]

MARK = "# quyche shell completion: written by `quyche --install-completion`; regenerate with `quyche --show-completion`."


def _shell(named: str | None, lang: Reader) -> str:
    from compliance.command_line import UsageError

    shell = named or Path(os.environ.get("SHELL", "")).name
    if shell not in SHELLS:
        raise UsageError(_say("completion.no_shell", lang))
    return shell


def _bash(lang: Reader) -> str:
    root = " ".join(flag for flags, _, _ in ROOT_OPTIONS for flag in flags)
    lines = [
        MARK,
        "_quyche() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        "            --lang|--show-completion|--install-completion) ((i++)) ;;",
        "            -*) ;;",
        '            *) cmd="${COMP_WORDS[i]}"; break ;;',
        "        esac",
        "    done",
        '    if [[ -z "$cmd" ]]; then',
        '        case "$prev" in',
        '            --lang) COMPREPLY=($(compgen -W "vi en" -- "$cur")); return ;;',
        f'            --show-completion|--install-completion) COMPREPLY=($(compgen -W "{" ".join(SHELLS)}" -- "$cur")); return ;;',
        "        esac",
        f'        COMPREPLY=($(compgen -W "{" ".join(COMMANDS)} {root}" -- "$cur"))',
        "        return",
        "    fi",
        '    case "$cmd" in',
    ]
    for command in COMMANDS.values():
        values = [p for p in command.params if p.flags and not p.switch]
        options = " ".join([*(f for p in command.params if p.flags for f in p.flags), "--help"])
        lines.append(f"        {command.name})")
        lines.append('            case "$prev" in')
        for param in values:
            flags = "|".join(param.flags)
            if param.choices:
                lines.append(f'                {flags}) COMPREPLY=($(compgen -W "{" ".join(param.choices)}" -- "$cur")); return ;;')
            else:  # a path or free text: the shell's own (file names), never an option name
                lines.append(f"                {flags}) return ;;")
        lines.append("            esac")
        lines.append(f'            if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "{options}" -- "$cur")); return; fi')
        choices = next((p.choices for p in command.params if p.positional and p.choices), ())
        if choices:
            lines.append(f'            COMPREPLY=($(compgen -W "{" ".join(choices)}" -- "$cur"))')
        lines.append("            ;;")
    lines += ["    esac", "}", "complete -o default -F _quyche quyche", ""]
    return "\n".join(lines)


def _zsh_text(value: str) -> str:
    """A description inside a zsh `_arguments` spec: no brackets or colons, quotes doubled."""
    return value.replace("[", "(").replace("]", ")").replace(":", ",").replace("'", "'\\''")


def _zsh(lang: Reader) -> str:
    described = " ".join(f"'{name}:{_zsh_text(_say(f'cli.cmd.{name}', lang))}'" for name in COMMANDS)
    root = []
    for flags, key, choices in ROOT_OPTIONS:
        action = f":value:({' '.join(choices)})" if choices else ""
        root += [f"'{flag}[{_zsh_text(_say(key, lang))}]{action}'" for flag in flags]
    lines = [
        "#compdef quyche",
        MARK,
        "_quyche() {",
        "    local i=2",
        "    while (( i < CURRENT )); do",
        "        case $words[i] in",
        "            --lang|--show-completion|--install-completion) (( i += 2 )) ;;",
        "            -*) (( i++ )) ;;",
        "            *) break ;;",
        "        esac",
        "    done",
        "    if (( i >= CURRENT )); then",
        f"        local -a commands; commands=({described})",
        f"        _arguments {' '.join(root)} && return",
        "        _describe command commands",
        "        return",
        "    fi",
        "    local cmd=$words[i]",
        "    words=(${words[i,-1]}); (( CURRENT -= i - 1 ))",
        "    case $cmd in",
    ]
    for command in COMMANDS.values():
        specs = []
        position = 0
        for param in command.params:
            described_ = _zsh_text(_say(param.help, lang))
            action = f"({' '.join(param.choices)})" if param.choices else ("_files" if param.kind is Path else " ")
            if param.positional:
                position += 1
                specs.append(f"'{'*' if param.many else position}:{param.dest}:{action}'")
            else:
                value = "" if param.switch else f":{param.dest}:{action}"
                specs += [f"'{flag}[{described_}]{value}'" for flag in param.flags]
        specs.append(f"'--help[{_zsh_text(_say('root.help', lang))}]'")
        lines.append(f"        {command.name}) _arguments {' '.join(specs)} ;;")
    lines += ["    esac", "}", '_quyche "$@"', ""]
    return "\n".join(lines)


def _fish_text(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(lang: Reader) -> str:
    lines = [MARK, "complete -c quyche -f"]
    for flags, key, choices in ROOT_OPTIONS:
        names = " ".join(f"-l {f[2:]}" if f.startswith("--") else f"-s {f[1:]}" for f in flags)
        values = f" -x -a {_fish_text(' '.join(choices))}" if choices else ""
        lines.append(f"complete -c quyche -n __fish_use_subcommand {names}{values} -d {_fish_text(_say(key, lang))}")
    for command in COMMANDS.values():
        lines.append(f"complete -c quyche -n __fish_use_subcommand -a {command.name} -d {_fish_text(_say(f'cli.cmd.{command.name}', lang))}")
    for command in COMMANDS.values():
        when = f"-n '__fish_seen_subcommand_from {command.name}'"
        for param in command.params:
            described = _fish_text(_say(param.help, lang))
            if param.positional:
                if param.choices:
                    lines.append(f"complete -c quyche {when} -a {_fish_text(' '.join(param.choices))} -d {described}")
                elif param.kind is Path:
                    lines.append(f"complete -c quyche {when} -F")
                continue
            names = " ".join(f"-l {f[2:]}" if f.startswith("--") else f"-s {f[1:]}" for f in param.flags)
            if param.switch:
                values = ""
            elif param.choices:
                values = f" -x -a {_fish_text(' '.join(param.choices))}"
            else:
                values = " -r -F" if param.kind is Path else " -x"
            lines.append(f"complete -c quyche {when} {names}{values} -d {described}")
    return "\n".join(lines) + "\n"


def script(shell: str, lang: Reader) -> str:
    """The completion script for ``shell`` (bash, zsh or fish), its descriptions in ``lang``."""
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](lang)


def target(shell: str) -> Path:
    """Where ``shell`` looks for quyche's completion without any start-up file naming it (zsh: see the hint)."""
    home = Path.home()
    if shell == "bash":
        return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "bash-completion" / "completions" / "quyche"
    if shell == "zsh":
        return home / ".zfunc" / "_quyche"
    return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "fish" / "completions" / "quyche.fish"


def show(shell: str | None, lang: Reader) -> int:
    sys.stdout.write(script(_shell(shell, lang), lang))
    return 0


def install(shell: str | None, lang: Reader) -> int:
    """Write the script where the shell looks; a file there that quyche did not write is left alone (exit 2)."""
    chosen = _shell(shell, lang)
    path = target(chosen)
    wanted = script(chosen, lang)
    try:
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        existing = ""
    if existing is not None and MARK not in existing:
        sys.stderr.write(f"quyche: {_say('completion.foreign', lang, path=str(path), shell=chosen)}\n")
        return 2
    if existing == wanted:
        sys.stderr.write(_say("completion.unchanged", lang, path=str(path), shell=chosen) + "\n")
        return 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted, encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"quyche: {_say('completion.cannot_write', lang, path=str(path), reason=exc.strerror or str(exc))}\n")
        return 2
    hint = _say(f"completion.{chosen}_hint", lang, folder=str(path.parent))
    sys.stderr.write(_say("completion.written", lang, path=str(path), shell=chosen) + "\n" + hint + "\n")
    return 0
