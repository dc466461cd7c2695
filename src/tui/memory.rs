//! Gives freed heap memory back to the system once the book is loaded: reading the
//! snapshots needs large temporary buffers, and glibc keeps freed memory for reuse, which a
//! console left open all day would hold for nothing.

pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heap; no pointer of ours is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}
