// Getting a person's attention from a browser tab: a Web Notification where they allowed
// it, and a short tone made on the spot (no audio file to fetch) when they turned sound on.
const SOUND_KEY = "incident-room.alert-sound";

export function soundOn() {
  return localStorage.getItem(SOUND_KEY) === "on";
}

export function setSound(on) {
  localStorage.setItem(SOUND_KEY, on ? "on" : "off");
}

export function notifyDesktop(title, body, tag) {
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification(title, { body, tag });
  }
}

/** One short tone per `count` (when sound is on). */
export function beep(count = 1) {
  if (!soundOn()) return;
  const audio = new AudioContext();
  for (let i = 0; i < count; i += 1) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.15;
    tone.connect(gain).connect(audio.destination);
    tone.start(audio.currentTime + i * 0.3);
    tone.stop(audio.currentTime + i * 0.3 + 0.18);
  }
  setTimeout(() => audio.close(), 1000);
}
