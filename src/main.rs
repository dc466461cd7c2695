//! `crm`: parse the command line, run it, exit with its code (0 ok, 1 user error, 2 usage).

fn main() {
    private_umask();
    let cli = crm::cli::parse_args();
    std::process::exit(crm::cli::run(cli));
}

/// Everything crm creates is the book or a copy of it (the data dir, sled's files under
/// `index/`, exports), so nothing it creates should be readable by others, and sled
/// creates its files with the process umask (0644 under the usual 0022, 0666 under 0000).
/// A umask of 0077 makes every file and directory private as it is created, with no window
/// before a chmod. Setting it here is safe: it is the first thing the process does, before
/// any thread exists (the umask is process-wide), crm starts no other program that would
/// inherit it, and what must be shared is set explicitly (`serve --socket` chmods its
/// socket to 0660, which the umask does not affect). The store also makes its files 0600
/// itself, for a library caller that keeps a looser umask.
fn private_umask() {
    // SAFETY: umask(2) only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}
