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
    /// Run one reminder pass over the account register, counting `today` as the date when given.
    Remind(Option<guidepost_forms::Date>),
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
  remind     Run one reminder pass over the account register (reminders, removal and
             unconfirmed notices, deleting closed records), print its report as JSON
  help       Print this text

Configuration comes from GUIDEPOST_* environment variables (see functions/handler/README.md).
Under Lambda the handler setting picks the command (_HANDLER=redeliver for redelivery,
_HANDLER=remind for the reminder run).
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

/// `remind --help`.
pub const REMIND_HELP: &str = "\
Usage: guidepost-function remind [--today YYYY-MM-DD]

Runs one reminder pass over the account register (GUIDEPOST_REGISTER): sends each reminder that is
due (90, 30 and 7 days before the end date, as the account form's reminder file says; a missed day is
caught up and marked late), tells the desk about accounts whose end date has come and orders left
unconfirmed, deletes closed records past their retention, prints the report as one JSON line, and
exits non-zero when an operation failed. Running it twice on one day sends nothing twice.

  --today YYYY-MM-DD  count this date as today (to try the reminders without waiting)
";

/// Why the command line was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// A command that does not exist.
    #[error("unknown command `{0}`\n\n{USAGE}")]
    UnknownCommand(String),
    /// `--today` without a date, or with something else.
    #[error("`--today` takes a date written YYYY-MM-DD, e.g. `--today 2027-03-01`")]
    BadToday,
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
        "remind" => return parse_remind(&args[1..]),
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

/// `remind`'s arguments: nothing, `--help`, or `--today YYYY-MM-DD`.
fn parse_remind(args: &[String]) -> Result<Command, UsageError> {
    match args {
        [] => Ok(Command::Remind(None)),
        [help] if is_help(help) => Ok(Command::Help(REMIND_HELP)),
        [flag, date] if flag == "--today" => match (date.len(), date.parse()) {
            (10, Ok(date)) => Ok(Command::Remind(Some(date))),
            _ => Err(UsageError::BadToday),
        },
        [flag] if flag == "--today" => Err(UsageError::BadToday),
        [other, ..] => Err(UsageError::UnexpectedArgument {
            command: "remind",
            argument: other.clone(),
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
        assert_eq!(
            parse(&args(&["remind", "--help"])),
            Ok(Command::Help(REMIND_HELP))
        );
        assert_eq!(parse(&args(&["remind"])), Ok(Command::Remind(None)));
        let day: guidepost_forms::Date = "2027-03-01".parse().expect("date");
        assert_eq!(
            parse(&args(&["remind", "--today", "2027-03-01"])),
            Ok(Command::Remind(Some(day)))
        );
    }

    #[test]
    fn a_bad_today_is_refused_with_the_layout_it_wants() {
        for bad in [
            &["remind", "--today"][..],
            &["remind", "--today", "1 mars"],
            &["remind", "--today", "2027-02-30"],
        ] {
            assert_eq!(
                parse(&args(bad)).expect_err("bad").to_string(),
                "`--today` takes a date written YYYY-MM-DD, e.g. `--today 2027-03-01`"
            );
        }
        assert_eq!(
            parse(&args(&["remind", "now"]))
                .expect_err("extra")
                .to_string(),
            "`remind` takes no argument `now`; see `guidepost-function remind --help`"
        );
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
