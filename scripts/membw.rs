//! Single-core sequential read bandwidth: the floor for any search that has to look at
//! every key byte. Built and run by scripts/perf.sh (`rustc -O`), no dependencies.
//!
//! usage: membw [MiB]   (default 512: far larger than any cache here)
//! prints: `read_bandwidth_gib_s <best of the runs>` and `median <median>`

use std::hint::black_box;
use std::time::Instant;

const RUNS: usize = 15;

fn main() {
    let mib: usize = match std::env::args().nth(1) {
        None => 512,
        Some(arg) => match arg.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("membw: the size must be a positive number of MiB, got '{arg}'");
                std::process::exit(2);
            }
        },
    };
    let words = mib * (1 << 20) / 8;
    // Distinct values so no page is shared with the zero page.
    let buf: Vec<u64> = (0..words as u64).map(|i| i.wrapping_mul(0x9E37_79B9)).collect();
    let mut rates = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        // Four independent sums let the core keep several loads in flight.
        let mut s = [0u64; 4];
        for chunk in black_box(&buf).chunks_exact(4) {
            s[0] = s[0].wrapping_add(chunk[0]);
            s[1] = s[1].wrapping_add(chunk[1]);
            s[2] = s[2].wrapping_add(chunk[2]);
            s[3] = s[3].wrapping_add(chunk[3]);
        }
        black_box(s);
        let secs = start.elapsed().as_secs_f64();
        rates.push(mib as f64 / 1024.0 / secs);
    }
    rates.sort_by(f64::total_cmp);
    println!("read_bandwidth_gib_s {:.2}", rates[RUNS - 1]);
    println!("median {:.2}", rates[RUNS / 2]);
}
