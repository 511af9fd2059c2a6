// OBS_DOCTOR_REPORT: the status written for `obs doctor` when the app listens (each listen at once, so
// the doctor can send its proof request), a second after start, and at exit.
import { watchListening } from '../admin/app-listening.js';
import { writeReport, type ObsStatus } from './obs-state.js';

export function writeDoctorReports(path: string, status: ObsStatus): void {
  const listening = watchListening(() => {
    status.listening = listening.addresses();
    writeReport(path, status);
  });
  status.listening = [];
  setTimeout(() => writeReport(path, status), 1000).unref();
  process.once('exit', () => writeReport(path, status));
}
