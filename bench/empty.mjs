// Benchmark fixture: an empty module, to time what a preload alone adds to start-up.
export {};
