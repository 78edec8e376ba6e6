// Preloaded by the benchmark in child processes: prints the peak resident set size (kB) on exit.
process.on('exit', () => process.stderr.write(`\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`));
