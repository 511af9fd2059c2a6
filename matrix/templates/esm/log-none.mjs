// Matrix fixture role "log": no logging library.
export function logInfo() {}
