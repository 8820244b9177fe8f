//! The `guidepost` command: parses arguments, calls the library, prints the report, sets the exit code.

/// jemalloc: a build makes millions of small allocations on several threads, and with glibc's
/// allocator they were a quarter of a large build's CPU time (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use guidepost::{BuildError, BuildOptions, Summary};

#[cfg(feature = "serve")]
mod serve;

#[derive(Parser)]
#[command(
    name = "guidepost",
    version,
    about = "Builds a guidance site from content/ and site/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (default public/), writing only what changed, and only when the whole build succeeds.
    #[command(
        after_help = "Examples:\n  guidepost build\n  guidepost build --root examples/site --out /tmp/site\n  guidepost build --drafts\n\nExit codes: 0 built, 1 content errors (nothing written), 2 usage error."
    )]
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the site.
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
    },
    /// Check everything a build checks, without writing anything.
    #[command(
        after_help = "Examples:\n  guidepost check\n  guidepost check --root ../other-site\n\nExit codes: 0 no errors, 1 content errors, 2 usage error."
    )]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Build, serve on 127.0.0.1 with the forms working (mail to a local folder), rebuild and reload on change.
    #[command(
        after_help = "Examples:\n  guidepost serve\n  guidepost serve --port 8080 --mail-dir /tmp/mail\n\nOpen http://127.0.0.1:1111/ ; mail sent by the forms is listed at /_guidepost/mail/.\nNeeds a guidepost built with `--features serve` (the README's first command does this)."
    )]
    Serve {
        #[command(flatten)]
        common: Common,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Where the site is written.
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Where the form function writes mail as .eml files.
        #[arg(long, value_name = "DIR", default_value = ".guidepost/mail")]
        mail_dir: PathBuf,
        /// Serve without watching for changes.
        #[arg(long)]
        no_watch: bool,
    },
    /// List the pages due for review, never reviewed or without a reviewer, by editor, and which
    /// pages show each data file and each form.
    #[command(
        after_help = "Examples:\n  guidepost report\n  guidepost report --json > review.json\n  guidepost report --today 2027-06-01\n\nA page is due `review_every_months` (site/site.yaml, default 12; a page may set its own) after its\n`reviewed:` date.\nExit codes: 0 report printed, 1 content errors, 2 usage error, 3 with --fail-overdue when a page is overdue."
    )]
    Report {
        #[command(flatten)]
        common: Common,
        /// Print JSON (for CI) instead of text.
        #[arg(long)]
        json: bool,
        /// Count this date (YYYY-MM-DD) as today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Exit with 3 when a page is overdue for review.
        #[arg(long)]
        fail_overdue: bool,
    },
}

#[derive(Args)]
struct Common {
    /// The project folder holding content/ and site/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse(); // exits with 2 on a usage error
    let (common, out) = match cli.command {
        Command::Serve {
            common,
            port,
            out,
            mail_dir,
            no_watch,
        } => {
            return serve(common, port, out, mail_dir, !no_watch);
        }
        Command::Build { common, out } => {
            let out = under(&common.root, out);
            (common, Some(out))
        }
        Command::Check { common } => (common, None),
        Command::Report {
            common,
            json,
            today,
            fail_overdue,
        } => return report(&common, json, today.as_deref(), fail_overdue),
    };
    let options = BuildOptions {
        root: common.root,
        out,
        drafts: common.drafts,
    };
    match guidepost::build(&options) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            println!("{}", summary_line(&summary));
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(report)) => {
            eprintln!("{report}");
            let kept = match &options.out {
                Some(out) => format!("; nothing was written ({} is unchanged)", out.display()),
                None => String::new(),
            };
            eprintln!("guidepost: the site has errors{kept}");
            ExitCode::from(1)
        }
        Err(e @ (BuildError::Write { .. } | BuildError::Search(_))) => {
            eprintln!("guidepost: {e}");
            ExitCode::from(1)
        }
    }
}

/// `guidepost report`.
fn report(common: &Common, json: bool, today: Option<&str>, fail_overdue: bool) -> ExitCode {
    let today = match today.map(guidepost::model::Date::parse) {
        None => None,
        Some(Ok(date)) => Some(date),
        Some(Err(message)) => {
            eprintln!("guidepost: --today: {message}; write it as YYYY-MM-DD");
            return ExitCode::from(2);
        }
    };
    match guidepost::review_report(&common.root, common.drafts, today) {
        Ok(report) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", report.to_text());
            }
            if fail_overdue && report.overdue() > 0 {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("guidepost: the site has errors");
            ExitCode::from(1)
        }
    }
}

fn under(root: &Path, path: PathBuf) -> PathBuf {
    if path.is_absolute() || root == Path::new(".") {
        path
    } else {
        root.join(path)
    }
}

#[cfg(feature = "serve")]
fn serve(common: Common, port: u16, out: PathBuf, mail_dir: PathBuf, watch: bool) -> ExitCode {
    let root = common.root.clone();
    let options = serve::ServeOptions {
        build: BuildOptions {
            out: Some(under(&root, out)),
            root: root.clone(),
            drafts: common.drafts,
        },
        port,
        spool_dir: under(&root, PathBuf::from(".guidepost/spool")),
        register_dir: under(&root, PathBuf::from(".guidepost/register")),
        mail_dir: under(&root, mail_dir),
        watch,
    };
    match serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guidepost: {e:#}");
            ExitCode::from(1)
        }
    }
}

#[cfg(not(feature = "serve"))]
fn serve(_: Common, _: u16, _: PathBuf, _: PathBuf, _: bool) -> ExitCode {
    eprintln!(
        "guidepost: this build has no dev server; run `cargo run --release -p guidepost --features serve -- serve`"
    );
    ExitCode::from(2)
}

/// The one line printed after a build.
pub(crate) fn summary_line(s: &Summary) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let what = format!(
        "{}, {}, {}, {}, {}",
        plural(s.pages, "page", "pages"),
        plural(s.sections, "section", "sections"),
        plural(s.languages, "language", "languages"),
        plural(s.data_files, "data file", "data files"),
        plural(s.forms, "form", "forms"),
    );
    let ms = s.elapsed.as_secs_f64() * 1000.0;
    match &s.out {
        Some(out) => {
            let rendered = match s.rendered {
                Some(n) => format!("; {} again", plural(n, "page rendered", "pages rendered")),
                None => String::new(),
            };
            let changes = s.written.map_or_else(String::new, |w| {
                if s.rendered == Some(0) && w.written == 0 && w.removed == 0 {
                    return format!(
                        " (nothing changed since the last build; {} left as they were)",
                        plural(w.unchanged, "file", "files")
                    );
                }
                format!(
                    " ({} written, {} unchanged, {} removed{rendered})",
                    w.written, w.unchanged, w.removed
                )
            });
            format!("built {what} in {ms:.0} ms → {}{changes}", out.display())
        }
        None => format!("checked {what} in {ms:.0} ms: no errors"),
    }
}
