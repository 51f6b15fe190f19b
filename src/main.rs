//! The `notelint` command. All the work is in the library and in `cli/`;
//! this only hands over the exit code.

mod cli;

// Batches allocate and free many small strings on several threads (read on
// one, linted on the pool, written on another); mimalloc's per-thread heaps
// handle that better than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
