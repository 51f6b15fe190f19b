//! The `notelint` command. All the work is in the library and in `cli/`;
//! this only hands over the exit code.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
