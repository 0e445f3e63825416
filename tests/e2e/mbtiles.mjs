// The MBTiles fixture of the map tests: a small street map of Kemerovo written by sql.js (SQLite
// in wasm, so no native build), every tile a plain PNG whose colour tells its zoom. The tests
// never reach the internet: the server under test serves these tiles.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, deflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);

/** A 256×256 PNG of one colour with a darker border, so tile edges show in screenshots. */
function png([r, g, b]) {
  const size = 256;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const edge = x === 0 || y === 0;
      row.set(edge ? [r * 0.8, g * 0.8, b * 0.8] : [r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The tile (x, y from the north) holding `lat`, `lng` at zoom `z`, as slippy maps number it. */
export function tileOf(lat, lng, z) {
  const n = 2 ** z;
  const x = Math.floor(((lng + 180) / 360) * n);
  const y = Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
  return { x, y };
}

/**
 * Writes an MBTiles file at `path` covering the box `[[south, west], [north, east]]` at zooms
 * `minZoom..=maxZoom`, under `name` and `attribution`; returns how many tiles it holds.
 */
export async function writeMbtiles(path, { box, minZoom, maxZoom, name = 'Кемерово (тест)', attribution = '© тестовая карта' }) {
  const initSqlJs = require('sql.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE metadata (name TEXT, value TEXT)');
  db.run('CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
  db.run('CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
  for (const [key, value] of [['name', name], ['format', 'png'], ['minzoom', String(minZoom)], ['maxzoom', String(maxZoom)], ['attribution', attribution]]) {
    db.run('INSERT INTO metadata VALUES (?, ?)', [key, value]);
  }
  const [[south, west], [north, east]] = box;
  let count = 0;
  const insert = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  for (let z = minZoom; z <= maxZoom; z++) {
    const colour = [[214, 226, 206], [226, 214, 190], [200, 216, 232], [232, 206, 214]][z % 4];
    const image = png(colour);
    const nw = tileOf(north, west, z);
    const se = tileOf(south, east, z);
    for (let x = nw.x; x <= se.x; x++) {
      for (let y = nw.y; y <= se.y; y++) {
        insert.run([z, x, 2 ** z - 1 - y, image]);
        count += 1;
      }
    }
  }
  insert.free();
  writeFileSync(path, Buffer.from(db.export()));
  db.close();
  return count;
}
