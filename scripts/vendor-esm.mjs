// Copy an ES module and every module it imports, transitively, from unpacked npm packages
// into static/vendor/<package>/, rewriting bare specifiers ("lib0/observable") to relative
// paths ("../lib0/observable.js"). The browser then loads them as they are: no bundler at
// run time, and no import map (the Content-Security-Policy forbids inline scripts, and an
// import map is one). Only the modules reached from the entry are copied.
//
//   node scripts/vendor-esm.mjs <target dir> <entry package> <entry file> <package dir>...
//   node scripts/vendor-esm.mjs static/vendor yjs dist/yjs.mjs /tmp/x/yjs /tmp/x/lib0
//
// Each <package dir> is an unpacked `npm pack` (its package.json names the package).
// Bare specifiers resolve through the package's "exports" with the conditions a browser
// bundler would use, so lib0's Node-only variants (webcrypto.node.js) stay out.
import fs from "node:fs";
import path from "node:path";

const CONDITIONS = ["browser", "module", "import", "default"];
// `import x from "..."`, `export {x} from "..."`, `import "..."` at the start of a line.
const STATIC_IMPORT = /^(\s*(?:import|export)\b[^;'"]*?\bfrom\s*|\s*import\s*)(['"])([^'"]+)\2/gm;

const [targetRoot, entryPackage, entryFile, ...packageDirs] = process.argv.slice(2);
const packages = new Map(packageDirs.map((dir) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return [manifest.name, { dir, manifest }];
}));

/** The file an "exports" entry names for a browser, following nested conditions. */
function pickCondition(entry) {
  if (typeof entry === "string") return entry;
  for (const condition of CONDITIONS) {
    if (entry[condition] !== undefined) return pickCondition(entry[condition]);
  }
  throw new Error(`no browser condition in ${JSON.stringify(entry)}`);
}

/** "lib0/observable" -> { name: "lib0", file: "observable.js" } */
function resolveBare(specifier) {
  const name = [...packages.keys()].find((known) => specifier === known || specifier.startsWith(`${known}/`));
  if (!name) throw new Error(`${specifier}: no package given for it`);
  const subpath = `.${specifier.slice(name.length)}`;
  const exported = packages.get(name).manifest.exports?.[subpath];
  if (!exported) throw new Error(`${specifier}: not exported by ${name}`);
  return { name, file: path.normalize(pickCondition(exported)) };
}

const copied = new Set();
const entry = { name: entryPackage, file: path.normalize(entryFile) };

// Where a module goes: the entry at the top of its package's folder (yjs/yjs.mjs, as the
// socket.io-client build sits), everything else at its path inside its package.
function targetOf(name, file) {
  const flat = name === entry.name && file === entry.file ? path.basename(file) : file;
  return path.join(targetRoot, name, flat);
}

function vendor(name, file) {
  const key = `${name}/${file}`;
  if (copied.has(key)) return;
  copied.add(key);
  const source = fs.readFileSync(path.join(packages.get(name).dir, file), "utf8");
  const target = targetOf(name, file);
  const rewritten = source
    .replace(STATIC_IMPORT, (match, head, quote, specifier) => {
      if (specifier.startsWith(".")) {
        vendor(name, path.normalize(path.join(path.dirname(file), specifier)));
        return match;
      }
      const resolved = resolveBare(specifier);
      vendor(resolved.name, resolved.file);
      let relative = path.relative(path.dirname(target), targetOf(resolved.name, resolved.file));
      if (!relative.startsWith(".")) relative = `./${relative}`;
      return `${head}${quote}${relative.split(path.sep).join("/")}${quote}`;
    })
    // The source maps are not vendored: a dangling reference only makes devtools ask for it.
    .replace(/^\/\/# sourceMappingURL=.*$/m, "");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, rewritten);
}

vendor(entry.name, entry.file);
console.log([...copied].sort().join("\n"));
