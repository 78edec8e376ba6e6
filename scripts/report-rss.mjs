// Preloaded by the benchmark in child processes: prints the peak resident set size (kB) and the CPU time (user + system,
// ms) on exit.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(
    `\nBENCH_MAXRSS_KB ${u.maxRSS}\nBENCH_CPU_MS ${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`,
  );
});
