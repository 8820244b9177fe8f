//! The binary's command line, read before anything else (so `--help` needs no configuration): the
//! arguments → a [`Command`], or the usage error to print.

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Print this text and exit 0.
    Help(&'static str),
    /// Serve the forms (the default).
    Serve,
    /// Run one redelivery pass.
    Redeliver,
}

/// The overview (`--help`, `-h`, `help`).
pub const USAGE: &str = "\
guidepost-function: the guidepost form function

Usage: guidepost-function [COMMAND] [--help]

Commands:
  serve      Serve POST /forms/{id} (the default): under AWS Lambda when AWS_LAMBDA_RUNTIME_API is
             set, otherwise an HTTP server on GUIDEPOST_ADDR
  redeliver  Run one redelivery pass over the spool, print its report as JSON, and exit non-zero
             when a spool operation failed
  help       Print this text

Configuration comes from GUIDEPOST_* environment variables (see functions/handler/README.md).
Under Lambda the handler setting picks the command (_HANDLER=redeliver for redelivery).
";

/// `serve --help`.
pub const SERVE_HELP: &str = "\
Usage: guidepost-function serve

Serves POST /forms/{id}. Locally: on GUIDEPOST_ADDR (default 127.0.0.1:3000), with header, body and
idle timeouts and connection caps (GUIDEPOST_HEADER_TIMEOUT_SECS, GUIDEPOST_BODY_TIMEOUT_SECS,
GUIDEPOST_IDLE_TIMEOUT_SECS, GUIDEPOST_MAX_CONNECTIONS, GUIDEPOST_MAX_CONNECTIONS_PER_CLIENT).
SIGTERM or ctrl-c stops accepting, lets requests in flight finish (GUIDEPOST_SHUTDOWN_GRACE_SECS),
then exits.
";

/// `redeliver --help`.
pub const REDELIVER_HELP: &str = "\
Usage: guidepost-function redeliver

Runs one redelivery pass over the spool (GUIDEPOST_SPOOL): delivers what is pending and old enough,
removes temporary files left by a crash and entries past the retention limit, prints the report as
one JSON line, and exits non-zero when a spool operation failed.
";

/// Why the command line was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// A command that does not exist.
    #[error("unknown command `{0}`\n\n{USAGE}")]
    UnknownCommand(String),
    /// An argument the command does not take.
    #[error(
        "`{command}` takes no argument `{argument}`; see `guidepost-function {command} --help`"
    )]
    UnexpectedArgument {
        /// The command.
        command: &'static str,
        /// What followed it.
        argument: String,
    },
}

fn is_help(arg: &str) -> bool {
    matches!(arg, "--help" | "-h")
}

/// Reads the arguments after the program's name.
pub fn parse(args: &[String]) -> Result<Command, UsageError> {
    let Some(first) = args.first() else {
        return Ok(Command::Serve);
    };
    let (command, name, help) = match first.as_str() {
        arg if is_help(arg) || arg == "help" => return Ok(Command::Help(USAGE)),
        "serve" => (Command::Serve, "serve", SERVE_HELP),
        "redeliver" => (Command::Redeliver, "redeliver", REDELIVER_HELP),
        other => return Err(UsageError::UnknownCommand(other.to_owned())),
    };
    match args.get(1) {
        None => Ok(command),
        Some(arg) if is_help(arg) => Ok(Command::Help(help)),
        Some(arg) => Err(UsageError::UnexpectedArgument {
            command: name,
            argument: arg.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn help_is_printed_for_every_command_and_nothing_runs() {
        assert_eq!(parse(&args(&["--help"])), Ok(Command::Help(USAGE)));
        assert_eq!(parse(&args(&["-h"])), Ok(Command::Help(USAGE)));
        assert_eq!(parse(&args(&["help"])), Ok(Command::Help(USAGE)));
        assert_eq!(
            parse(&args(&["serve", "--help"])),
            Ok(Command::Help(SERVE_HELP))
        );
        assert_eq!(
            parse(&args(&["redeliver", "-h"])),
            Ok(Command::Help(REDELIVER_HELP))
        );
        assert_eq!(parse(&args(&[])), Ok(Command::Serve));
        assert_eq!(parse(&args(&["serve"])), Ok(Command::Serve));
        assert_eq!(parse(&args(&["redeliver"])), Ok(Command::Redeliver));
    }

    #[test]
    fn unknown_commands_and_arguments_are_refused_with_their_words() {
        let unknown = parse(&args(&["deliver"])).expect_err("unknown");
        assert!(
            unknown
                .to_string()
                .starts_with("unknown command `deliver`\n\nguidepost-function: the")
        );
        let extra = parse(&args(&["redeliver", "now"])).expect_err("extra");
        assert_eq!(
            extra.to_string(),
            "`redeliver` takes no argument `now`; see `guidepost-function redeliver --help`"
        );
    }
}
