//! `guidepost serve`: builds the site, serves it on 127.0.0.1 with the form function mounted on the same
//! origin (mail to a local folder), watches `content/` and `site/`, rebuilds on change and reloads the
//! open tab. A failed build is shown in the terminal and the browser while the last good site stays up.

mod editor;
mod files;
mod mail;
mod reload;
mod watch;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock, mpsc};

use anyhow::Context as _;
use axum::Router;
use axum::routing::get;
use guidepost::BuildOptions;
use guidepost::session::{Changes, Session};

use reload::BuildStatus;

/// What `guidepost serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Build options (root, output folder, drafts).
    pub build: BuildOptions,
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Where submitted forms' mail is written as `.eml` files.
    pub mail_dir: PathBuf,
    /// Where accepted submissions wait until delivered.
    pub spool_dir: PathBuf,
    /// The account register (and its link key, `key` inside it, made on first use).
    pub register_dir: PathBuf,
    /// Watch and rebuild.
    pub watch: bool,
}

/// Shared between requests and the watcher.
#[derive(Clone)]
pub struct Shared {
    options: Arc<ServeOptions>,
    status: Arc<RwLock<BuildStatus>>,
    forms: Arc<RwLock<Option<guidepost_handler::AppState>>>,
    changed: Arc<tokio::sync::watch::Sender<u64>>,
    /// `http://127.0.0.1:<port>`, what account links in mail start with.
    public_url: Arc<String>,
    /// The build kept between rebuilds.
    session: Arc<Mutex<Session>>,
    /// Tells the search thread the pages changed.
    search: mpsc::Sender<()>,
}

/// Runs the dev server until the process is stopped.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let (changed, _) = tokio::sync::watch::channel(0u64);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
    let addr = listener.local_addr()?;
    let session = Arc::new(Mutex::new(Session::new(options.build.clone())));
    let shared = Shared {
        options: Arc::new(options.clone()),
        status: Arc::new(RwLock::new(BuildStatus::default())),
        forms: Arc::new(RwLock::new(None)),
        changed: Arc::new(changed),
        public_url: Arc::new(format!("http://{addr}")),
        session: Arc::clone(&session),
        search: search_thread(session),
    };
    rebuild(&shared, &Changes::All);
    println!(
        "serving http://{addr}/  (forms post to /forms/…, mail in {}; see http://{addr}/_guidepost/mail/; review dates: http://{addr}/_guidepost/editor/)",
        options.mail_dir.display()
    );
    if options.watch {
        watch::spawn(shared.clone())?;
        println!("watching content/ and site/ for changes; press Ctrl+C to stop");
    }
    let app = Router::new()
        .route("/_guidepost/wait", get(reload::wait))
        .route("/_guidepost/status", get(reload::status))
        .route("/_guidepost/reload.js", get(reload::script))
        .route("/_guidepost/mail/", get(mail::list))
        .route("/_guidepost/editor/", get(editor::page))
        .route("/_guidepost/remind", axum::routing::post(mail::remind))
        .fallback(files::static_file)
        .with_state(shared);
    axum::serve(listener, app).await?;
    Ok(())
}

/// The overlay's heading when the pages were rebuilt but their forms could not be loaded.
const FORMS_FAILED: &str =
    "The pages are up to date, but the forms could not be loaded – they work as before the change";

/// Rebuilds after `changes`; on success loads the forms the build exported (unless nothing was
/// written), on failure keeps the last good state. The search index follows on a thread of its own.
pub fn rebuild(shared: &Shared, changes: &Changes) {
    let result = {
        let mut session = shared.session.lock().unwrap_or_else(|p| p.into_inner());
        let result = session.rebuild(changes);
        // Started from the search thread once the lock is released.
        let _ = shared.search.send(());
        result
    };
    let (ok, title) = match &result {
        Ok(summary) if summary.rendered == Some(0) => {
            // Saved without a change: nothing to reload.
            println!("{}", crate::summary_line(summary));
            return;
        }
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            println!("{}", crate::summary_line(summary));
            match load_forms(&shared.options, &shared.public_url) {
                Ok(state) => {
                    *shared.forms.write().unwrap_or_else(|p| p.into_inner()) = state;
                    (None, None)
                }
                Err(e) => {
                    // The pages are the new build; the forms keep the last state that loaded.
                    let error = format!("the form function cannot load the new forms: {e:#}");
                    eprintln!(
                        "guidepost: {error}\nguidepost: the pages are up to date; the forms still work as before the change"
                    );
                    (Some(error), Some(FORMS_FAILED.to_owned()))
                }
            }
        }
        Err(e) => {
            eprintln!("{e}\nguidepost: the site has errors; still serving the last good build");
            (Some(e.to_string()), Some(reload::BUILD_FAILED.to_owned()))
        }
    };
    let generation = {
        let mut status = shared.status.write().unwrap_or_else(|p| p.into_inner());
        status.generation += 1;
        status.error = ok;
        status.title = title;
        status.generation
    };
    shared.changed.send_replace(generation);
}

/// Starts the thread that brings the search index up to date after each rebuild (it takes longest, so
/// pages come first); returns the bell that wakes it. The index is built without holding the session
/// and written only if no rebuild came in between (else it is built again).
fn search_thread(session: Arc<Mutex<Session>>) -> mpsc::Sender<()> {
    let (bell, rings) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        while rings.recv().is_ok() {
            while rings.try_recv().is_ok() {}
            loop {
                let lock = || session.lock().unwrap_or_else(|p| p.into_inner());
                let Some(job) = lock().search_job() else {
                    break;
                };
                let started = std::time::Instant::now();
                match job
                    .run()
                    .and_then(|index| lock().install_search(&job, index))
                {
                    Ok(Some(_)) => println!(
                        "search index updated in {:.0} ms",
                        started.elapsed().as_secs_f64() * 1000.0
                    ),
                    Ok(None) => {} // the pages changed meanwhile: build it again
                    Err(e) => {
                        eprintln!("guidepost: {e}; search shows the last index");
                        break;
                    }
                }
            }
        }
    });
    bell
}

fn load_forms(
    options: &ServeOptions,
    public_url: &str,
) -> anyhow::Result<Option<guidepost_handler::AppState>> {
    use guidepost_handler::{
        desks::DeskBook, pages::FormPages, spool::FolderSpool, transport::EmlFolder,
    };
    let Some(out) = &options.build.out else {
        return Ok(None);
    };
    let forms_path = out.join("forms/forms.json");
    let Ok(text) = std::fs::read_to_string(&forms_path) else {
        return Ok(None);
    };
    let forms = guidepost_forms::FormSet::from_json(&text)
        .with_context(|| forms_path.display().to_string())?;
    // The content's desks (content/desks.yaml, exported by the build), read again on every build.
    let desks_path = out.join("forms/desks.json");
    let desks = if desks_path.exists() {
        DeskBook::load(&desks_path)?
    } else {
        DeskBook::default()
    };
    let mut settings = guidepost_handler::Settings::development()?;
    settings.accounts.public_url = public_url.to_owned();
    let state = guidepost_handler::AppState::new(
        forms,
        desks,
        FormPages::load(out)?,
        Arc::new(EmlFolder::new(&options.mail_dir)),
        Arc::new(FolderSpool::new(&options.spool_dir)),
        settings,
    )?;
    let accounts = guidepost_handler::accounts::Accounts {
        register: guidepost_handler::accounts::Register::new(Arc::new(
            guidepost_handler::accounts::FolderStore::new(&options.register_dir),
        )),
        key: dev_key(&options.register_dir)?,
    };
    Ok(Some(state.with_accounts(accounts)))
}

/// The dev server's link key: `<register>/key`, made (0600) the first time, so links in mail already
/// written keep working after a restart.
fn dev_key(dir: &std::path::Path) -> anyhow::Result<guidepost_handler::accounts::LinkKey> {
    use guidepost_handler::accounts::LinkKey;
    let path = dir.join("key");
    if let Ok(bytes) = std::fs::read(&path)
        && let Some(key) = guidepost_handler::config::key_from_file(&bytes)
    {
        return Ok(key);
    }
    let key = LinkKey::random();
    let hex: String = key.bytes().iter().map(|b| format!("{b:02x}")).collect();
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder
        .create(dir)
        .with_context(|| dir.display().to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| path.display().to_string())?;
    std::io::Write::write_all(&mut file, hex.as_bytes())
        .with_context(|| path.display().to_string())?;
    guidepost_handler::config::key_from_file(hex.as_bytes()).context("the new link key")
}
