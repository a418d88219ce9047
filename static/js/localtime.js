// Shows every <time data-local> in the viewer's zone, keeping UTC on hover.
import { localiseTimes } from "./time.js";

localiseTimes();
