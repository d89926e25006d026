# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_codexa_global_optspecs
    string join \n format= q/quiet color= C= as= h/help V/version
end

function __fish_codexa_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_codexa_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_codexa_using_subcommand
    set -l cmd (__fish_codexa_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c codexa -n "__fish_codexa_needs_command" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_needs_command" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_needs_command" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_needs_command" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_needs_command" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_needs_command" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "init" -d 'Set up codexa in this repository: `.codexa/` and the event store'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "events" -d 'Append, import, query, follow and verify the event log'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "index" -d 'Manage the read index (a cache in the store)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "doctor" -d 'Check config, policy, event chains and tools; print fixes'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "sync" -d 'Publish and merge the event log on the `codexa/state` branch'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "thread" -d 'Threads: start, list, show, close'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "post" -d 'Post a message to a thread'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "read" -d 'Print unread messages of a thread and mark them read'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "inbox" -d 'Threads with unread messages or mentions for you'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "ack" -d 'Record that you acted on a message'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "policy" -d 'Ask the policy gate about an action: eval (decide), explain (why)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "approval" -d 'Approval requests: request, show'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "approvals" -d 'List approvals (the approval inbox)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "approve" -d 'Approve a request (by id, or by its subject)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "deny" -d 'Deny a request (by id, or by its subject)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "hold" -d 'Hold a request: keep it open, not granted'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "hook" -d 'Run by an agent\'s hooks: answers tool calls from the policy gate'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "hooks" -d 'Install `codexa hook` into the agents\' project settings'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "ask" -d 'Run the command a phrase stands for: `codexa ask "approve design for CH-010"`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "mcp" -d 'Serve the thread, policy and approval tools to agents over MCP on stdio'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "discover" -d 'Map the repository: languages and lines (tokei\'s counts), complexity, git churn and co-change coupling, components and their purpose, hotspots and change zones; writes .codexa/manifests/ and records `discover.completed`. The same commit and config write the same bytes'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "sql" -d 'Ask the history in SQL (DuckDB), reading only: the views `events`, `messages`, `threads`, `approvals`, `policy_decisions`, `governance_blocks`, `triggers`, `agent_sessions`, `discover_runs`, `runs`, `steps`, `tool_calls` and `incidents` (`--schema` lists their columns). One query (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW) at a time. `--format table` (the default), `json` (an array of objects) or `csv`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "analyze" -d 'Built-in reports over the history: activity, triggers, approvals, policy, discover, runs, trend, trust'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "export" -d 'Write the history out for other tools: `export parquet DIR`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "report" -d 'Rendered reports: `report governance [--publish]`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "snapshot" -d 'Record today\'s figures (UTC) in `.codexa/reports/snapshots/<date>.json`: the day\'s events, messages, actors, approvals, policy decisions, blocks, trigger outcomes, and where things stand (open threads, approvals waiting, the latest discover run); per agent, its requests and how they were decided, policy denials, runs, tool calls, incidents and trust level per action (as `trust show` gives them). Run again the same day, it updates that day\'s file; `codexa analyze trend` and `analyze trust` read them all'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "loop" -d 'Plan loops of changes from the manifests: `loop plan`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "seed" -d 'Render a plan\'s changes into prompts for agents: `seed --from loop-plan`'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "watch" -d 'Show every tmux pane: is an agent there, and is it running, idle, or waiting for you? Hooks first, the screen second; each row says which'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "status" -d 'Print every pane\'s state once (`--format json`: an array, one object per pane)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "wait" -d 'Block until a pane reaches a state (for scripts). Exit 0 when it does, 124 on timeout, 1 when the pane goes away'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "trigger" -d 'Wake an agent: type a prompt into its pane, confirmed'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "start" -d 'Start a participant\'s agent in a tmux window of its own, bound from birth'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "stop" -d 'Stop a participant\'s agent: interrupt it, then close its pane'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "worktree" -d 'Worktrees for agents: add, list, remove (keeping work that exists nowhere else)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "session" -d 'Agent sessions: which runs where (list, show), and bindings by hand for agents started without hooks (bind, unbind)'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "run" -d 'Runs: units of work that workers claim under a lease, start, and complete or fail'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "toolcall" -d 'Tool calls of a run\'s step: start one, then say how it ended'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "artifact" -d 'Artifacts of runs\' steps: text, JSON, files (stored by content under `.codexa/artifacts/`, once however often added) and URIs'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "incident" -d 'Incidents: trouble a person should look at'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "inspect" -d 'Drill into a run, or everything sharing a correlation id: the tree run → steps → tool calls and artifacts, with the events behind each node (time, type, actor). `--format json` gives the same as a nested object'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "trust" -d 'Progressive trust: what each agent has earned from its history, the rules that would stop asking, and what it learned from being told no'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c codexa -n "__fish_codexa_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand init" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand init" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand init" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand init" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand init" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand init" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "append" -d 'Append one event (for scripts)'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "import" -d 'Append many events from JSON Lines, in one process'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "query" -d 'Print events matching filters, oldest first, as JSON Lines'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "tail" -d 'Print the latest events and, with --follow, new ones as they arrive'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "show" -d 'Print one event by id'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "verify" -d 'Check every writer chain: seq, prev links, hashes, ids; and that no writer folder is foreign'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "accept" -d 'Let a writer folder count that codexa cannot vouch for (people only)'
complete -c codexa -n "__fish_codexa_using_subcommand events; and not __fish_seen_subcommand_from append import query tail show verify accept help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l type -d 'Event type, e.g. `note.added`' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l stream -d 'What the event is about, as TYPE:ID, e.g. `thread:th_01`' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l data -d 'The payload: a JSON object, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l actor -d 'Who acts, as KIND:ID (user, agent or service). Default: `agent:$CODEXA_AGENT`, else the git user' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l idempotency-key -d 'Retrying with the same key returns the first event' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l correlation-id -d 'Groups events of one piece of work, for drill-down' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l causation-id -d 'The event that caused this one' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from append" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l type -d 'Event type, or a prefix ending in `*` (`message.*`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l stream -d 'TYPE:ID for one stream, or TYPE for all streams of a type' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l actor -d 'KIND:ID, or just ID' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l since -d 'Only events at or after this time (RFC 3339, a date, or an age: 2h, 1d)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l until -d 'Only events before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l correlation-id -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l writer -d 'Only this writer\'s chain (one per clone)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l from-seq -d 'Only events whose per-writer `seq` is at least N: the resume cursor. With several writers, add `--writer` to follow one chain exactly' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l limit -d 'At most N events' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from query" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l type -d 'Event type, or a prefix ending in `*` (`message.*`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l stream -d 'TYPE:ID for one stream, or TYPE for all streams of a type' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l actor -d 'KIND:ID, or just ID' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l since -d 'Only events at or after this time (RFC 3339, a date, or an age: 2h, 1d)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l until -d 'Only events before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l correlation-id -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l writer -d 'Only this writer\'s chain (one per clone)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l from-seq -d 'Only events whose per-writer `seq` is at least N: the resume cursor. With several writers, add `--writer` to follow one chain exactly' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s n -l lines -d 'How many recent events to print first (ignored with --from-seq)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s f -l follow -d 'Keep running and print new events as they are appended'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from tail" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -l ref -d 'Verify a commit\'s `events/` instead of the local store, e.g. `origin/codexa/state` after `git fetch origin codexa/state`' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -l reason -d 'Why, for the record' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from accept" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "append" -d 'Append one event (for scripts)'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "import" -d 'Append many events from JSON Lines, in one process'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "query" -d 'Print events matching filters, oldest first, as JSON Lines'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "tail" -d 'Print the latest events and, with --follow, new ones as they arrive'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print one event by id'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check every writer chain: seq, prev links, hashes, ids; and that no writer folder is foreign'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "accept" -d 'Let a writer folder count that codexa cannot vouch for (people only)'
complete -c codexa -n "__fish_codexa_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -f -a "rebuild" -d 'Delete the read index and build it again from the log. Never needed for correctness (every command catches the index up by itself), but safe whenever the cache is in doubt'
complete -c codexa -n "__fish_codexa_using_subcommand index; and not __fish_seen_subcommand_from rebuild help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from rebuild" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "rebuild" -d 'Delete the read index and build it again from the log. Never needed for correctness (every command catches the index up by itself), but safe whenever the cache is in doubt'
complete -c codexa -n "__fish_codexa_using_subcommand index; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -f -a "config" -d 'Resolve `extends:` layers, validate against the schema, and print the provenance (sha256 of every layer and of the resolved config)'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and not __fish_seen_subcommand_from config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from config" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from help" -f -a "config" -d 'Resolve `extends:` layers, validate against the schema, and print the provenance (sha256 of every layer and of the resolved config)'
complete -c codexa -n "__fish_codexa_using_subcommand doctor; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand sync" -l remote -d 'The git remote to share through (default: `sync.remote` in config, which defaults to `origin`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand sync" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand sync" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand sync" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand sync" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand sync" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand sync" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -f -a "new" -d 'Start a thread with participants; prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -f -a "list" -d 'List threads with their message counts'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -f -a "show" -d 'Print a thread and all its messages (`--format json` for agents)'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -f -a "close" -d 'Close a thread: no more posts'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and not __fish_seen_subcommand_from new list show close help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -l participants -d 'Who takes part, comma-separated participant names' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -l room -d 'The room that groups related threads' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -l room -d 'Only threads in this room' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -l mine -d 'Only threads the speaker takes part in'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from close" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from help" -f -a "new" -d 'Start a thread with participants; prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from help" -f -a "list" -d 'List threads with their message counts'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a thread and all its messages (`--format json` for agents)'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from help" -f -a "close" -d 'Close a thread: no more posts'
complete -c codexa -n "__fish_codexa_using_subcommand thread; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand post" -l file -d 'Read the message from this file' -r
complete -c codexa -n "__fish_codexa_using_subcommand post" -l reply-to -d 'The message this one answers' -r
complete -c codexa -n "__fish_codexa_using_subcommand post" -l mention -d 'Call a participant\'s attention (repeatable)' -r
complete -c codexa -n "__fish_codexa_using_subcommand post" -l idempotency-key -d 'A retry with the same key returns the first message and posts nothing' -r
complete -c codexa -n "__fish_codexa_using_subcommand post" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand post" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand post" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand post" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand post" -l wake -d 'Wake the thread\'s other participants who have it unread'
complete -c codexa -n "__fish_codexa_using_subcommand post" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand post" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand post" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand read" -l since -d 'Messages numbered above N' -r
complete -c codexa -n "__fish_codexa_using_subcommand read" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand read" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand read" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand read" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand read" -l peek -d 'Do not mark anything read'
complete -c codexa -n "__fish_codexa_using_subcommand read" -l all -d 'Every message, read or not'
complete -c codexa -n "__fish_codexa_using_subcommand read" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand read" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand read" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand inbox" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand ack" -l note -d 'What was done, for the record' -r
complete -c codexa -n "__fish_codexa_using_subcommand ack" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand ack" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand ack" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand ack" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand ack" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand ack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand ack" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -f -a "eval" -d 'Decide an action: prints allow, deny or require_approval with its reason code; exits 0, 5 or 4 accordingly. Records `policy.evaluated`'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -f -a "explain" -d 'Show every rule with whether it matched and why not, then the kill switch and approval steps. Records nothing'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and not __fish_seen_subcommand_from eval explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l action -d 'The action, e.g. `git.push`, `external.write`, `shell.exec`' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l subject -d 'What the action is on, e.g. `origin/main` or `CH-010`' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l zone -d 'The zone to judge it in (default: from the policy\'s `zones`, else supervised)' -r -f -a "sandbox\t''
supervised\t''
high_stakes\t''"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from eval" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l action -d 'The action, e.g. `git.push`, `external.write`, `shell.exec`' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l subject -d 'What the action is on, e.g. `origin/main` or `CH-010`' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l zone -d 'The zone to judge it in (default: from the policy\'s `zones`, else supervised)' -r -f -a "sandbox\t''
supervised\t''
high_stakes\t''"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "eval" -d 'Decide an action: prints allow, deny or require_approval with its reason code; exits 0, 5 or 4 accordingly. Records `policy.evaluated`'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Show every rule with whether it matched and why not, then the kill switch and approval steps. Records nothing'
complete -c codexa -n "__fish_codexa_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -f -a "request" -d 'Ask for an approval; prints its id (`appr_…`). An identical request still pending answers with its id instead of a new one'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -f -a "show" -d 'Print one approval and its decisions'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and not __fish_seen_subcommand_from request show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l action -d 'The gated action, e.g. `git.push`' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l subject -d 'What it is on, e.g. `origin/main` or `CH-010`' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l kind -d 'What sort of approval, e.g. `design` (default: the action\'s last word)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l reason -d 'Why it is needed, for the person deciding' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l expires -d 'When it stops counting: a duration from now (`2h`, `1d`) or an RFC 3339 time' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from request" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "request" -d 'Ask for an approval; prints its id (`appr_…`). An identical request still pending answers with its id instead of a new one'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print one approval and its decisions'
complete -c codexa -n "__fish_codexa_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -l status -d 'Only approvals with this status' -r -f -a "pending\t''
approved\t''
denied\t''
held\t''
expired\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -l subject -d 'Only approvals on this subject' -r
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand approvals" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand approve" -l kind -d 'With a subject: only its request of this kind' -r
complete -c codexa -n "__fish_codexa_using_subcommand approve" -l reason -d 'Why, recorded with the decision' -r
complete -c codexa -n "__fish_codexa_using_subcommand approve" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand approve" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand approve" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand approve" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand approve" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand approve" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand deny" -l kind -d 'With a subject: only its request of this kind' -r
complete -c codexa -n "__fish_codexa_using_subcommand deny" -l reason -d 'Why, recorded with the decision' -r
complete -c codexa -n "__fish_codexa_using_subcommand deny" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand deny" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand deny" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand deny" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand deny" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand deny" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hold" -l kind -d 'With a subject: only its request of this kind' -r
complete -c codexa -n "__fish_codexa_using_subcommand hold" -l reason -d 'Why, recorded with the decision' -r
complete -c codexa -n "__fish_codexa_using_subcommand hold" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hold" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hold" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hold" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hold" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hold" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hold" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -f -a "claude" -d 'Claude Code hook: the payload on stdin; answers PreToolUse and PermissionRequest with allow, deny or ask from the policy gate'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -f -a "codex" -d 'Codex: a hook payload on stdin, or a `notify` payload as the last argument'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -f -a "pre-push" -d 'git\'s `pre-push` hook: each ref update on stdin goes to the policy gate as `git.push`, `git.push.force` or `git.push.delete` on `REMOTE/BRANCH`; exits 3 (git then refuses the push) when one is not allowed, naming the approval to ask for'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and not __fish_seen_subcommand_from claude codex pre-push help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from claude" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from codex" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from pre-push" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "claude" -d 'Claude Code hook: the payload on stdin; answers PreToolUse and PermissionRequest with allow, deny or ask from the policy gate'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "codex" -d 'Codex: a hook payload on stdin, or a `notify` payload as the last argument'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "pre-push" -d 'git\'s `pre-push` hook: each ref update on stdin goes to the policy gate as `git.push`, `git.push.force` or `git.push.delete` on `REMOTE/BRANCH`; exits 3 (git then refuses the push) when one is not allowed, naming the approval to ask for'
complete -c codexa -n "__fish_codexa_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -f -a "install" -d 'Add `codexa hook` to .claude/settings.local.json and .codex/hooks.json (PreToolUse, PermissionRequest), and git\'s `pre-push` hook; prints a diff'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and not __fish_seen_subcommand_from install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l claude -d 'Claude Code\'s .claude/settings.local.json (no flag: all three)'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l codex -d 'Codex\'s .codex/hooks.json (no flag: all three)'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l git -d 'git\'s `pre-push` hook, shared by every worktree (no flag: all three); a hook already there is kept and run after codexa\'s'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -l dry-run -d 'Print the diff; write nothing'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "install" -d 'Add `codexa hook` to .claude/settings.local.json and .codex/hooks.json (PreToolUse, PermissionRequest), and git\'s `pre-push` hook; prints a diff'
complete -c codexa -n "__fish_codexa_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand ask" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand ask" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand ask" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand ask" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand ask" -l dry-run -d 'Print the command (`--format json`: {phrase, command, argv}) and run nothing'
complete -c codexa -n "__fish_codexa_using_subcommand ask" -l list -d 'List every phrase and the command it stands for'
complete -c codexa -n "__fish_codexa_using_subcommand ask" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand ask" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand ask" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand mcp" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand discover" -l focus -d 'Look deeper at one folder or file (functions, coupling partners): writes .codexa/manifests/focus/<path>.md and leaves the rest alone' -r
complete -c codexa -n "__fish_codexa_using_subcommand discover" -l config -d 'The config file to use instead of .codexa/config.yaml; it must be the repository\'s own' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand discover" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand discover" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand discover" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand discover" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand discover" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand discover" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand sql" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand sql" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand sql" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand sql" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand sql" -l schema -d 'List the views and their columns instead'
complete -c codexa -n "__fish_codexa_using_subcommand sql" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand sql" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand sql" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "activity" -d 'Events and messages per actor and day (UTC)'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "triggers" -d 'Waking agents: outcomes, fallbacks, defer time and delivery latency (p50/p95), per target'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "approvals" -d 'Approvals: status, turnaround to the first approve or deny (p50/p95), and what still waits, with its age'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "policy" -d 'The policy gate\'s decisions by reason code, kill-switch use and governance blocks'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "discover" -d 'Each `codexa discover` run\'s telemetry, and how the hotspots moved from the first run in the window to the last'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "runs" -d 'Durable runs: created and ended per day, queue wait and run time (p50/p95), lease expiries, failure reasons ranked, open incidents'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "trend" -d 'The daily snapshots (`codexa snapshot`) side by side'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "trust" -d 'Each agent\'s trust over the daily snapshots: its level per action and subject day by day, the days a level moved, and each day\'s approvals, denials and incidents'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and not __fish_seen_subcommand_from activity triggers approvals policy discover runs trend trust help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from activity" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from triggers" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from approvals" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from policy" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from discover" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from runs" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trend" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from trust" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "activity" -d 'Events and messages per actor and day (UTC)'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "triggers" -d 'Waking agents: outcomes, fallbacks, defer time and delivery latency (p50/p95), per target'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "approvals" -d 'Approvals: status, turnaround to the first approve or deny (p50/p95), and what still waits, with its age'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "policy" -d 'The policy gate\'s decisions by reason code, kill-switch use and governance blocks'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "discover" -d 'Each `codexa discover` run\'s telemetry, and how the hotspots moved from the first run in the window to the last'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "runs" -d 'Durable runs: created and ended per day, queue wait and run time (p50/p95), lease expiries, failure reasons ranked, open incidents'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "trend" -d 'The daily snapshots (`codexa snapshot`) side by side'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "trust" -d 'Each agent\'s trust over the daily snapshots: its level per action and subject day by day, the days a level moved, and each day\'s approvals, denials and incidents'
complete -c codexa -n "__fish_codexa_using_subcommand analyze; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -f -a "parquet" -d 'One Parquet file per view (`events.parquet`, `messages.parquet`, …; `codexa sql --schema` lists them) in DIR, created if missing. Existing files of the same names are replaced, all at once at the end'
complete -c codexa -n "__fish_codexa_using_subcommand export; and not __fish_seen_subcommand_from parquet help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from parquet" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "parquet" -d 'One Parquet file per view (`events.parquet`, `messages.parquet`, …; `codexa sql --schema` lists them) in DIR, created if missing. Existing files of the same names are replaced, all at once at the end'
complete -c codexa -n "__fish_codexa_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -f -a "governance" -d 'Approvals and their decisions, policy denials, kill-switch use, governance blocks and the log\'s verification, as Markdown on stdout; `--publish` writes `.codexa/reports/governance-<date>.md` and records `report.published` with its hash (once per identical report)'
complete -c codexa -n "__fish_codexa_using_subcommand report; and not __fish_seen_subcommand_from governance help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l since -d 'Only what happened at or after this time (RFC 3339, a date such as 2026-11-01, or an age: 12h, 7d, 2w)' -r
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l until -d 'Only what happened before this time' -r
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -l publish -d 'Write the report under .codexa/reports/ and record it'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from governance" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "governance" -d 'Approvals and their decisions, policy denials, kill-switch use, governance blocks and the log\'s verification, as Markdown on stdout; `--publish` writes `.codexa/reports/governance-<date>.md` and records `report.published` with its hash (once per identical report)'
complete -c codexa -n "__fish_codexa_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand snapshot" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -f -a "plan" -d 'Propose the next loop LP-nnn: changes CH-nnn from the change zones of .codexa/manifests/system_manifest.yaml (run `codexa discover` first), each with a suggested agent and the approvals the policy asks for; writes .codexa/loops/LP-nnn/plan.yaml and plan.md and records `loop.planned`'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and not __fish_seen_subcommand_from plan help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -l goal -d 'What the loop is for; zones whose name or files contain its words come first (otherwise the highest scores do)' -r
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -l max -d 'The most changes to propose' -r
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Propose the next loop LP-nnn: changes CH-nnn from the change zones of .codexa/manifests/system_manifest.yaml (run `codexa discover` first), each with a suggested agent and the approvals the policy asks for; writes .codexa/loops/LP-nnn/plan.yaml and plan.md and records `loop.planned`'
complete -c codexa -n "__fish_codexa_using_subcommand loop; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l from -d 'What to seed from' -r -f -a "loop-plan\t'A loop plan in .codexa/loops/'"
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l post -d 'Post each seed to this thread, as you, mentioning its agent' -r
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand seed" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand seed" -l start -d 'Start each change\'s agent whose approvals are granted, in a worktree of its own, with the change\'s brief as its first prompt (see `codexa start`); a change already started is not started again'
complete -c codexa -n "__fish_codexa_using_subcommand seed" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand seed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand seed" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l socket -d 'The tmux server: a socket name (as `tmux -L`) or path (as `tmux -S`); default $CODEXA_TMUX_SOCKET, else tmux\'s own choice' -r
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand watch" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l once -d 'Print the table once and exit (= `codexa status`)'
complete -c codexa -n "__fish_codexa_using_subcommand watch" -l stream -d 'Print one JSON line per change (the first lines: every pane)'
complete -c codexa -n "__fish_codexa_using_subcommand watch" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand watch" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand status" -l socket -d 'The tmux server: a socket name (as `tmux -L`) or path (as `tmux -S`); default $CODEXA_TMUX_SOCKET, else tmux\'s own choice' -r
complete -c codexa -n "__fish_codexa_using_subcommand status" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand status" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand status" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand status" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand status" -l attention -d 'Only panes that need a person (waiting for approval or input, or failed)'
complete -c codexa -n "__fish_codexa_using_subcommand status" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand status" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l until -d 'idle; waiting (for approval or input); any (idle, waiting, failed, or the agent gone)' -r -f -a "idle\t''
waiting\t''
any\t''"
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l timeout -d 'Give up after this many seconds (exit 124); fractions allowed' -r
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l socket -d 'The tmux server: a socket name (as `tmux -L`) or path (as `tmux -S`); default $CODEXA_TMUX_SOCKET, else tmux\'s own choice' -r
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand wait" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand wait" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand wait" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand wait" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l prompt -d 'The prompt to give (it may start with `-`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l prompt-file -d 'Read the prompt from this file (`-`: stdin)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l thread -d 'Tell them what waits for them in this thread' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -l no-wait -d 'Record the job and deliver it from a detached worker; return at once'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -a "list" -d 'The trigger jobs on this machine, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -a "show" -d 'One trigger job and its events'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -a "drain" -d 'Finish jobs no live process is running (after a crash or a reboot)'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and not __fish_seen_subcommand_from list show drain help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -l job -d 'Only this job' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from drain" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from help" -f -a "list" -d 'The trigger jobs on this machine, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from help" -f -a "show" -d 'One trigger job and its events'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from help" -f -a "drain" -d 'Finish jobs no live process is running (after a crash or a reboot)'
complete -c codexa -n "__fish_codexa_using_subcommand trigger; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand start" -l prompt -d 'The first prompt (it may start with `-`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l prompt-file -d 'Read the first prompt from this file (`-`: stdin)' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l seed -d 'Start it on a planned change: that change\'s brief (from the latest plan\'s seeds) is its first prompt, and the gate is asked about the change\'s zone' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l worktree -d 'Run it in a new worktree, named NAME (default: PARTICIPANT-<short id>)' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l from -d 'The branch, tag or commit the worktree starts from' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l window -d 'The window\'s name (default: the participant)' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand start" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand start" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand start" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand start" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand start" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand stop" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand stop" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand stop" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand stop" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand stop" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand stop" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -f -a "add" -d 'Make a worktree for an agent: a branch `codexa/NAME` in a folder of its own'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -f -a "list" -d 'The repository\'s worktrees: branch, agent, ahead/behind, dirty or clean'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -f -a "remove" -d 'Remove a worktree codexa made, keeping any work that exists nowhere else'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and not __fish_seen_subcommand_from add list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -l name -d 'The worktree\'s name (default: PARTICIPANT-<short id>)' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -l from -d 'The branch, tag or commit to start from' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -l force -d 'Remove it whatever it holds'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -l delete-branch -d 'Delete its branch too'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from help" -f -a "add" -d 'Make a worktree for an agent: a branch `codexa/NAME` in a folder of its own'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from help" -f -a "list" -d 'The repository\'s worktrees: branch, agent, ahead/behind, dirty or clean'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a worktree codexa made, keeping any work that exists nowhere else'
complete -c codexa -n "__fish_codexa_using_subcommand worktree; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -f -a "list" -d 'List agent sessions: who, where, and when last seen'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -f -a "show" -d 'Show one agent session in full'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -f -a "bind" -d 'Bind a participant to a tmux pane, for an agent started without hooks'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -f -a "unbind" -d 'End a session\'s binding (the session stays listed under `--all`)'
complete -c codexa -n "__fish_codexa_using_subcommand session; and not __fish_seen_subcommand_from list show bind unbind help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -l all -d 'Ended sessions too'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l pane -d 'The tmux pane, `%N` (`tmux display-message -p \'#{pane_id}\'`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l provider -d 'The agent CLI; default: `agents.<PARTICIPANT>.provider` in config' -r -f -a "claude\t''
codex\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l session-id -d 'The agent\'s own session id (Codex: its thread id); default: a new `bind-<ulid>`' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l cwd -d 'The agent\'s working directory; default: the pane\'s' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l transcript -d 'The agent\'s transcript file' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l socket -d 'The tmux server: a socket name (as `tmux -L`) or path (as `tmux -S`); default $CODEXA_TMUX_SOCKET, else tmux\'s own choice' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from bind" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from unbind" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'List agent sessions: who, where, and when last seen'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one agent session in full'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "bind" -d 'Bind a participant to a tmux pane, for an agent started without hooks'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "unbind" -d 'End a session\'s binding (the session stays listed under `--all`)'
complete -c codexa -n "__fish_codexa_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "create" -d 'Queue a run. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "list" -d 'List runs: those still open (queued, claimed, running), oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "show" -d 'One run: status, lease, input and output, steps, conflicts'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "claim" -d 'Claim a run: the oldest queued one meant for anyone or for you, or the one named. Prints `RUN_ID TOKEN` (exit 6: nothing to claim, or the named run is held)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "heartbeat" -d 'Renew a lease: it lasts its TTL again from now'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "release" -d 'Give a claimed or running run back to the queue'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "start" -d 'Start a claimed run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "complete" -d 'Complete a running run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "fail" -d 'Fail a claimed or running run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "cancel" -d 'Cancel a run that has not ended. An agent may cancel only runs it created (exit 3 otherwise)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "expire" -d 'Record every lease that ran out: renewed when its agent\'s hooks show it at work, else expired (the run is claimable again), with an incident when the run was running. `run claim` does this for the run it takes; this does it for all, from cron or CI'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "step" -d 'A run\'s steps: add'
complete -c codexa -n "__fish_codexa_using_subcommand run; and not __fish_seen_subcommand_from create list show claim heartbeat release start complete fail cancel expire step help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l title -d 'What the work is' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l input -d 'Its input: JSON inline, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l correlation-id -d 'Ties it to other events for `codexa inspect --correlation` (default: the run\'s own id)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l for -d 'Only this participant may claim it' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l kind -d 'The kind of work; its lease length comes from `runs.kinds.KIND` in the config' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l status -d 'Only runs with this status' -r -f -a "queued\t''
claimed\t''
running\t''
completed\t''
failed\t''
cancelled\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l mine -d 'Runs meant for you or held by you'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -l all -d 'Every run, ended ones too'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l worker -d 'Who works on it (default: you; an agent claims only for itself)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l ttl -d 'The lease\'s length without a heartbeat, e.g. 30s, 10m, 2h (default: `runs.kinds.KIND.lease_ttl_ms`, else `runs.lease_ttl_ms`)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l kind -d 'Only runs of this kind' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from claim" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -l token -d 'The token `run claim` printed' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from heartbeat" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -l token -d 'The token `run claim` printed' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from release" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -l token -d 'The token `run claim` printed' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -l token -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -l output -d 'What it produced: JSON inline, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from complete" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -l token -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -l reason -d 'Why it failed' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from fail" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -l reason -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from cancel" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from expire" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -f -a "add" -d 'Add a step to a run that has not ended. Prints the step\'s id'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from step" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "create" -d 'Queue a run. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "list" -d 'List runs: those still open (queued, claimed, running), oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "show" -d 'One run: status, lease, input and output, steps, conflicts'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "claim" -d 'Claim a run: the oldest queued one meant for anyone or for you, or the one named. Prints `RUN_ID TOKEN` (exit 6: nothing to claim, or the named run is held)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "heartbeat" -d 'Renew a lease: it lasts its TTL again from now'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "release" -d 'Give a claimed or running run back to the queue'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a claimed run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "complete" -d 'Complete a running run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "fail" -d 'Fail a claimed or running run'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel a run that has not ended. An agent may cancel only runs it created (exit 3 otherwise)'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "expire" -d 'Record every lease that ran out: renewed when its agent\'s hooks show it at work, else expired (the run is claimable again), with an incident when the run was running. `run claim` does this for the run it takes; this does it for all, from cron or CI'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "step" -d 'A run\'s steps: add'
complete -c codexa -n "__fish_codexa_using_subcommand run; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -f -a "start" -d 'Record that a tool call began. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -f -a "succeed" -d 'Record that a tool call succeeded'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -f -a "fail" -d 'Record that a tool call failed'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and not __fish_seen_subcommand_from start succeed fail help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -l tool -d 'The tool\'s name' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -l input -d 'What it was given: JSON inline, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -l output -d 'What it returned: JSON inline, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from succeed" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -l error -d 'What went wrong' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -l output -d 'What it returned, if anything: JSON inline, `@FILE`, or `-`' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from fail" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from help" -f -a "start" -d 'Record that a tool call began. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from help" -f -a "succeed" -d 'Record that a tool call succeeded'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from help" -f -a "fail" -d 'Record that a tool call failed'
complete -c codexa -n "__fish_codexa_using_subcommand toolcall; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -f -a "add" -d 'Attach an artifact to a step. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -f -a "list" -d 'List artifacts, oldest first: all, or one run\'s or step\'s'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -f -a "show" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -f -a "cat" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and not __fish_seen_subcommand_from add list show cat help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l text -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l json -d 'JSON inline, `@FILE`, or `-` for stdin' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l file -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l uri -d 'Recorded, not fetched' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l name -d 'A name to show (default: a file\'s name)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -l run -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -l step -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from cat" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "add" -d 'Attach an artifact to a step. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "list" -d 'List artifacts, oldest first: all, or one run\'s or step\'s'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "show" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "cat" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -f -a "open" -d 'Open an incident. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -f -a "list" -d 'List open incidents, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -f -a "show" -d 'One incident'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -f -a "resolve" -d 'Resolve an open incident'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and not __fish_seen_subcommand_from open list show resolve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l title -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l severity -r -f -a "low\t''
medium\t''
high\t''
critical\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l run -d 'The run it concerns' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l idempotency-key -d 'While an incident with this key is open, return it instead' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l detail -d 'What happened, in more words' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from open" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -l all -d 'Resolved ones too'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -l resolution -d 'What was done about it' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from resolve" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "open" -d 'Open an incident. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "list" -d 'List open incidents, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "show" -d 'One incident'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Resolve an open incident'
complete -c codexa -n "__fish_codexa_using_subcommand incident; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -l correlation -d 'Every run and event carrying this correlation id' -r
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "show" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "recommend" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "accept" -d 'Write a recommended rule into .codexa/policy.yaml; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "decline" -d 'Decline a recommendation: not proposed again until its evidence changes; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "constraints" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "retire" -d 'Retire a constraint that no longer holds; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and not __fish_seen_subcommand_from show recommend accept decline constraints retire help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from recommend" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from accept" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -l reason -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from decline" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from constraints" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -l reason -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from retire" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "show" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "recommend" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "accept" -d 'Write a recommended rule into .codexa/policy.yaml; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "decline" -d 'Decline a recommendation: not proposed again until its evidence changes; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "constraints" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "retire" -d 'Retire a constraint that no longer holds; people only'
complete -c codexa -n "__fish_codexa_using_subcommand trust; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand completions" -l format -d 'Output format: `text` for people, `json` for scripts and agents. Streams (`events query`, `events tail`) default to JSON Lines' -r -f -a "text\t'Human-readable text (`table` is the same)'
json\t'JSON (one document, or JSON Lines for streams)'
csv\t'Comma-separated values (`codexa sql`; other commands print text)'"
complete -c codexa -n "__fish_codexa_using_subcommand completions" -l color -d 'When to colour output (`NO_COLOR` is respected under `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c codexa -n "__fish_codexa_using_subcommand completions" -s C -d 'Run as if started in DIR' -r -F
complete -c codexa -n "__fish_codexa_using_subcommand completions" -l as -d 'Speak as this participant (default: `$CODEXA_AGENT`, else the git user as a person)' -r
complete -c codexa -n "__fish_codexa_using_subcommand completions" -s q -l quiet -d 'Print only data: no status lines or hints on stderr'
complete -c codexa -n "__fish_codexa_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codexa -n "__fish_codexa_using_subcommand completions" -s V -l version -d 'Print version'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "init" -d 'Set up codexa in this repository: `.codexa/` and the event store'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "events" -d 'Append, import, query, follow and verify the event log'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "index" -d 'Manage the read index (a cache in the store)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "doctor" -d 'Check config, policy, event chains and tools; print fixes'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "sync" -d 'Publish and merge the event log on the `codexa/state` branch'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "thread" -d 'Threads: start, list, show, close'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "post" -d 'Post a message to a thread'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "read" -d 'Print unread messages of a thread and mark them read'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "inbox" -d 'Threads with unread messages or mentions for you'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "ack" -d 'Record that you acted on a message'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "policy" -d 'Ask the policy gate about an action: eval (decide), explain (why)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "approval" -d 'Approval requests: request, show'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "approvals" -d 'List approvals (the approval inbox)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "approve" -d 'Approve a request (by id, or by its subject)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "deny" -d 'Deny a request (by id, or by its subject)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "hold" -d 'Hold a request: keep it open, not granted'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "hook" -d 'Run by an agent\'s hooks: answers tool calls from the policy gate'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "hooks" -d 'Install `codexa hook` into the agents\' project settings'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "ask" -d 'Run the command a phrase stands for: `codexa ask "approve design for CH-010"`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "mcp" -d 'Serve the thread, policy and approval tools to agents over MCP on stdio'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "discover" -d 'Map the repository: languages and lines (tokei\'s counts), complexity, git churn and co-change coupling, components and their purpose, hotspots and change zones; writes .codexa/manifests/ and records `discover.completed`. The same commit and config write the same bytes'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "sql" -d 'Ask the history in SQL (DuckDB), reading only: the views `events`, `messages`, `threads`, `approvals`, `policy_decisions`, `governance_blocks`, `triggers`, `agent_sessions`, `discover_runs`, `runs`, `steps`, `tool_calls` and `incidents` (`--schema` lists their columns). One query (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW) at a time. `--format table` (the default), `json` (an array of objects) or `csv`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "analyze" -d 'Built-in reports over the history: activity, triggers, approvals, policy, discover, runs, trend, trust'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "export" -d 'Write the history out for other tools: `export parquet DIR`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "report" -d 'Rendered reports: `report governance [--publish]`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "snapshot" -d 'Record today\'s figures (UTC) in `.codexa/reports/snapshots/<date>.json`: the day\'s events, messages, actors, approvals, policy decisions, blocks, trigger outcomes, and where things stand (open threads, approvals waiting, the latest discover run); per agent, its requests and how they were decided, policy denials, runs, tool calls, incidents and trust level per action (as `trust show` gives them). Run again the same day, it updates that day\'s file; `codexa analyze trend` and `analyze trust` read them all'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "loop" -d 'Plan loops of changes from the manifests: `loop plan`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "seed" -d 'Render a plan\'s changes into prompts for agents: `seed --from loop-plan`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "watch" -d 'Show every tmux pane: is an agent there, and is it running, idle, or waiting for you? Hooks first, the screen second; each row says which'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "status" -d 'Print every pane\'s state once (`--format json`: an array, one object per pane)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "wait" -d 'Block until a pane reaches a state (for scripts). Exit 0 when it does, 124 on timeout, 1 when the pane goes away'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "trigger" -d 'Wake an agent: type a prompt into its pane, confirmed'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "start" -d 'Start a participant\'s agent in a tmux window of its own, bound from birth'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "stop" -d 'Stop a participant\'s agent: interrupt it, then close its pane'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "worktree" -d 'Worktrees for agents: add, list, remove (keeping work that exists nowhere else)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "session" -d 'Agent sessions: which runs where (list, show), and bindings by hand for agents started without hooks (bind, unbind)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "run" -d 'Runs: units of work that workers claim under a lease, start, and complete or fail'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "toolcall" -d 'Tool calls of a run\'s step: start one, then say how it ended'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "artifact" -d 'Artifacts of runs\' steps: text, JSON, files (stored by content under `.codexa/artifacts/`, once however often added) and URIs'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "incident" -d 'Incidents: trouble a person should look at'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "inspect" -d 'Drill into a run, or everything sharing a correlation id: the tree run → steps → tool calls and artifacts, with the events behind each node (time, type, actor). `--format json` gives the same as a nested object'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "trust" -d 'Progressive trust: what each agent has earned from its history, the rules that would stop asking, and what it learned from being told no'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c codexa -n "__fish_codexa_using_subcommand help; and not __fish_seen_subcommand_from init events index doctor sync thread post read inbox ack policy approval approvals approve deny hold hook hooks ask mcp discover sql analyze export report snapshot loop seed watch status wait trigger start stop worktree session run toolcall artifact incident inspect trust completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "append" -d 'Append one event (for scripts)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "import" -d 'Append many events from JSON Lines, in one process'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "query" -d 'Print events matching filters, oldest first, as JSON Lines'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "tail" -d 'Print the latest events and, with --follow, new ones as they arrive'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "show" -d 'Print one event by id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "verify" -d 'Check every writer chain: seq, prev links, hashes, ids; and that no writer folder is foreign'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "accept" -d 'Let a writer folder count that codexa cannot vouch for (people only)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from index" -f -a "rebuild" -d 'Delete the read index and build it again from the log. Never needed for correctness (every command catches the index up by itself), but safe whenever the cache is in doubt'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from doctor" -f -a "config" -d 'Resolve `extends:` layers, validate against the schema, and print the provenance (sha256 of every layer and of the resolved config)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from thread" -f -a "new" -d 'Start a thread with participants; prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from thread" -f -a "list" -d 'List threads with their message counts'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from thread" -f -a "show" -d 'Print a thread and all its messages (`--format json` for agents)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from thread" -f -a "close" -d 'Close a thread: no more posts'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "eval" -d 'Decide an action: prints allow, deny or require_approval with its reason code; exits 0, 5 or 4 accordingly. Records `policy.evaluated`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "explain" -d 'Show every rule with whether it matched and why not, then the kill switch and approval steps. Records nothing'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "request" -d 'Ask for an approval; prints its id (`appr_…`). An identical request still pending answers with its id instead of a new one'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "show" -d 'Print one approval and its decisions'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "claude" -d 'Claude Code hook: the payload on stdin; answers PreToolUse and PermissionRequest with allow, deny or ask from the policy gate'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "codex" -d 'Codex: a hook payload on stdin, or a `notify` payload as the last argument'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "pre-push" -d 'git\'s `pre-push` hook: each ref update on stdin goes to the policy gate as `git.push`, `git.push.force` or `git.push.delete` on `REMOTE/BRANCH`; exits 3 (git then refuses the push) when one is not allowed, naming the approval to ask for'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "install" -d 'Add `codexa hook` to .claude/settings.local.json and .codex/hooks.json (PreToolUse, PermissionRequest), and git\'s `pre-push` hook; prints a diff'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "activity" -d 'Events and messages per actor and day (UTC)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "triggers" -d 'Waking agents: outcomes, fallbacks, defer time and delivery latency (p50/p95), per target'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "approvals" -d 'Approvals: status, turnaround to the first approve or deny (p50/p95), and what still waits, with its age'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "policy" -d 'The policy gate\'s decisions by reason code, kill-switch use and governance blocks'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "discover" -d 'Each `codexa discover` run\'s telemetry, and how the hotspots moved from the first run in the window to the last'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "runs" -d 'Durable runs: created and ended per day, queue wait and run time (p50/p95), lease expiries, failure reasons ranked, open incidents'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "trend" -d 'The daily snapshots (`codexa snapshot`) side by side'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from analyze" -f -a "trust" -d 'Each agent\'s trust over the daily snapshots: its level per action and subject day by day, the days a level moved, and each day\'s approvals, denials and incidents'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from export" -f -a "parquet" -d 'One Parquet file per view (`events.parquet`, `messages.parquet`, …; `codexa sql --schema` lists them) in DIR, created if missing. Existing files of the same names are replaced, all at once at the end'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "governance" -d 'Approvals and their decisions, policy denials, kill-switch use, governance blocks and the log\'s verification, as Markdown on stdout; `--publish` writes `.codexa/reports/governance-<date>.md` and records `report.published` with its hash (once per identical report)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from loop" -f -a "plan" -d 'Propose the next loop LP-nnn: changes CH-nnn from the change zones of .codexa/manifests/system_manifest.yaml (run `codexa discover` first), each with a suggested agent and the approvals the policy asks for; writes .codexa/loops/LP-nnn/plan.yaml and plan.md and records `loop.planned`'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trigger" -f -a "list" -d 'The trigger jobs on this machine, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trigger" -f -a "show" -d 'One trigger job and its events'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trigger" -f -a "drain" -d 'Finish jobs no live process is running (after a crash or a reboot)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from worktree" -f -a "add" -d 'Make a worktree for an agent: a branch `codexa/NAME` in a folder of its own'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from worktree" -f -a "list" -d 'The repository\'s worktrees: branch, agent, ahead/behind, dirty or clean'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from worktree" -f -a "remove" -d 'Remove a worktree codexa made, keeping any work that exists nowhere else'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'List agent sessions: who, where, and when last seen'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "show" -d 'Show one agent session in full'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "bind" -d 'Bind a participant to a tmux pane, for an agent started without hooks'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "unbind" -d 'End a session\'s binding (the session stays listed under `--all`)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "create" -d 'Queue a run. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "list" -d 'List runs: those still open (queued, claimed, running), oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "show" -d 'One run: status, lease, input and output, steps, conflicts'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "claim" -d 'Claim a run: the oldest queued one meant for anyone or for you, or the one named. Prints `RUN_ID TOKEN` (exit 6: nothing to claim, or the named run is held)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "heartbeat" -d 'Renew a lease: it lasts its TTL again from now'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "release" -d 'Give a claimed or running run back to the queue'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "start" -d 'Start a claimed run'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "complete" -d 'Complete a running run'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "fail" -d 'Fail a claimed or running run'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "cancel" -d 'Cancel a run that has not ended. An agent may cancel only runs it created (exit 3 otherwise)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "expire" -d 'Record every lease that ran out: renewed when its agent\'s hooks show it at work, else expired (the run is claimable again), with an incident when the run was running. `run claim` does this for the run it takes; this does it for all, from cron or CI'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from run" -f -a "step" -d 'A run\'s steps: add'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from toolcall" -f -a "start" -d 'Record that a tool call began. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from toolcall" -f -a "succeed" -d 'Record that a tool call succeeded'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from toolcall" -f -a "fail" -d 'Record that a tool call failed'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "add" -d 'Attach an artifact to a step. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "list" -d 'List artifacts, oldest first: all, or one run\'s or step\'s'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "show" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "cat" -d 'One artifact: `show` describes it, `cat` prints its content (checked against its hash) or its URI'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "open" -d 'Open an incident. Prints its id'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "list" -d 'List open incidents, oldest first'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "show" -d 'One incident'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from incident" -f -a "resolve" -d 'Resolve an open incident'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "show" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "recommend" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "accept" -d 'Write a recommended rule into .codexa/policy.yaml; people only'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "decline" -d 'Decline a recommendation: not proposed again until its evidence changes; people only'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "constraints" -d 'An agent\'s ledger and levels (`show`), the rules that would stop asking it (`recommend`: all agents unless one is named), or the constraints it learned (`constraints`)'
complete -c codexa -n "__fish_codexa_using_subcommand help; and __fish_seen_subcommand_from trust" -f -a "retire" -d 'Retire a constraint that no longer holds; people only'
