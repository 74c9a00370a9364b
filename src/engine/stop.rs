//! Stop requests: SIGINT, SIGTERM and SIGHUP, and what a command does about them. Listening starts
//! once, when the first engine opens (so commands that run nothing keep the default behaviour).
//! While an engine holds a `Guard` (a statement is starting, running or its results are being
//! read), a signal is the engine's to handle: it stops the query and returns
//! `EngineError::Interrupted`. With no guard held, or on a second signal, the process exits at once
//! with 128 + the signal's number, as a shell expects. In an interactive session (`athq sql`) a
//! SIGINT with no guard held is ignored, and the session clears a handled stop before the next
//! statement.
//! Signals are read on a thread of their own, so that a statement keeping every runtime worker
//! busy (planning a huge statement, a CPU-bound join) cannot delay them. A holder that has not
//! taken up a stop within `GRACE` (it is stuck in work that does not wait) is not waited for:
//! the process cleans up what asked to be cleaned (`on_forced_exit`) and exits as with no guard.
//! It must not know about Athena or DataFusion.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::watch;

/// The signals athq stops on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
    Hangup,
}

impl Signal {
    /// 128 + the signal number, as shells report a process killed by it.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Hangup => 129,
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
            Signal::Hangup => "SIGHUP",
        }
    }
}

static GUARDS: AtomicUsize = AtomicUsize::new(0);
static SENDER: OnceLock<watch::Sender<Option<Signal>>> = OnceLock::new();
static INTERACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the holder has taken up the current stop (its `wait` returned it).
static TAKEN: AtomicBool = AtomicBool::new(false);
/// Cleanups to run before a forced exit (partial output files).
static CLEANUPS: std::sync::Mutex<Vec<fn()>> = std::sync::Mutex::new(Vec::new());

/// How long a guard's holder has to take up a stop before the process exits without it.
const GRACE: std::time::Duration = std::time::Duration::from_millis(800);
/// How long past its `--timeout` a stuck statement is given before the process exits.
const DEADLINE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Runs `cleanup` before the process exits on a signal its holder did not take up in time.
pub fn on_forced_exit(cleanup: fn()) {
    let mut all = CLEANUPS.lock().unwrap_or_else(|e| e.into_inner());
    if !all.contains(&cleanup) {
        all.push(cleanup);
    }
}

/// Exits as a shell expects of a process stopped by `sig`, after the registered cleanups.
fn exit_on(sig: Signal, message: bool) -> ! {
    let text = format!("error: interrupted by {}", sig.name());
    exit_now(i32::from(sig.exit_code()), message.then_some(text.as_str()))
}

/// Runs the registered cleanups, says `message` and exits with `code`.
fn exit_now(code: i32, message: Option<&str>) -> ! {
    for cleanup in CLEANUPS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        cleanup();
    }
    if let Some(m) = message {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{m}");
    }
    std::process::exit(code)
}

/// `--timeout` for a statement whose holder may be stuck in work that does not wait (a CPU-bound
/// join, sort or aggregation keeping every worker busy), so that the runtime's own timer is not
/// polled: a thread of its own waits for the limit, plus `DEADLINE_GRACE` for the holder to stop by
/// itself, and then exits the process (exit 1, cleanups run) as a timed-out statement does.
/// Dropping it (the statement ended) ends the wait. Not armed in an interactive session.
pub struct Deadline {
    _ended: Option<std::sync::mpsc::Sender<()>>,
}

impl Deadline {
    pub fn arm(limit: Option<std::time::Duration>) -> Deadline {
        let Some(limit) = limit.filter(|_| !INTERACTIVE.load(Ordering::SeqCst)) else {
            return Deadline { _ended: None };
        };
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let watch = move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit + DEADLINE_GRACE) {
                exit_now(1, Some(&format!("error: timed out after {} s", limit.as_secs())));
            }
        };
        let _ = std::thread::Builder::new().name("athq-timeout".into()).spawn(watch);
        Deadline { _ended: Some(tx) }
    }
}

/// A handle to wait for a stop request. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Stop {
    rx: watch::Receiver<Option<Signal>>,
}

/// While alive, a signal is handled by the holder rather than ending the process.
#[derive(Debug)]
pub struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        GUARDS.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Stop {
    /// Starts listening (once per process; needs a Tokio runtime) and returns a handle.
    pub fn install() -> Stop {
        let tx = SENDER.get_or_init(|| {
            let (tx, _) = watch::channel(None);
            let listener = tx.clone();
            // Its own thread and runtime: busy workers cannot hold a signal up.
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(runtime) = runtime {
                let _ = std::thread::Builder::new()
                    .name("athq-signals".into())
                    .spawn(move || runtime.block_on(listen(listener)));
            }
            tx
        });
        Stop { rx: tx.subscribe() }
    }

    /// From now on a SIGINT with no guard held is ignored (the shell's prompt reads Ctrl-C itself).
    pub fn interactive() {
        INTERACTIVE.store(true, Ordering::SeqCst);
    }

    /// Forgets a stop that has been handled, so the next statement runs and the next signal is
    /// not taken for a second one.
    pub fn reset() {
        if let Some(tx) = SENDER.get() {
            tx.send_replace(None);
        }
        TAKEN.store(false, Ordering::SeqCst);
    }

    /// A handle that never fires, for tests and for code running outside a command.
    pub fn never() -> Stop {
        let (tx, rx) = watch::channel(None);
        std::mem::forget(tx);
        Stop { rx }
    }

    /// Claims signals for the holder until the guard drops.
    pub fn guard(&self) -> Guard {
        GUARDS.fetch_add(1, Ordering::SeqCst);
        Guard(())
    }

    /// The signal already received, if any.
    pub fn raised(&self) -> Option<Signal> {
        *self.rx.borrow()
    }

    /// Waits for a signal; pending forever if none comes.
    pub async fn wait(&self) -> Signal {
        let mut rx = self.rx.clone();
        loop {
            if let Some(s) = *rx.borrow_and_update() {
                TAKEN.store(true, Ordering::SeqCst);
                return s;
            }
            if rx.changed().await.is_err() {
                return std::future::pending().await;
            }
        }
    }
}

#[cfg(unix)]
async fn listen(tx: watch::Sender<Option<Signal>>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term), Ok(mut hup)) =
        (signal(SignalKind::interrupt()), signal(SignalKind::terminate()), signal(SignalKind::hangup()))
    else {
        return;
    };
    loop {
        let sig = tokio::select! {
            _ = int.recv() => Signal::Interrupt,
            _ = term.recv() => Signal::Terminate,
            _ = hup.recv() => Signal::Hangup,
        };
        let second = tx.borrow().is_some();
        let idle = GUARDS.load(Ordering::SeqCst) == 0;
        if idle && sig == Signal::Interrupt && INTERACTIVE.load(Ordering::SeqCst) {
            continue;
        }
        if second || idle {
            exit_on(sig, false);
        }
        tx.send_replace(Some(sig));
        // The holder takes the stop up when it next waits; one stuck in work that does not wait
        // is not waited for, except in an interactive session, which a second Ctrl-C leaves.
        if INTERACTIVE.load(Ordering::SeqCst) {
            continue;
        }
        let asked = std::time::Instant::now();
        while asked.elapsed() < GRACE {
            if TAKEN.load(Ordering::SeqCst) || GUARDS.load(Ordering::SeqCst) == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        if !TAKEN.load(Ordering::SeqCst) && GUARDS.load(Ordering::SeqCst) > 0 {
            exit_on(sig, true);
        }
    }
}

#[cfg(not(unix))]
async fn listen(tx: watch::Sender<Option<Signal>>) {
    loop {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        let idle = GUARDS.load(Ordering::SeqCst) == 0;
        if idle && INTERACTIVE.load(Ordering::SeqCst) {
            continue;
        }
        if tx.borrow().is_some() || idle {
            exit_on(Signal::Interrupt, false);
        }
        tx.send_replace(Some(Signal::Interrupt));
    }
}
