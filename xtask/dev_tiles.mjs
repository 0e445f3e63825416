// `cargo xtask dev-tiles`: a small MBTiles file of central Kemerovo for trying the map without
// internet, drawn by the project itself (nothing is downloaded): a grid of plain tiles whose
// colour tells the zoom, not a street map — the sites' pins, clusters and offline areas work on
// it as on a real one. Writes the file named on the command line.
import { writeMbtiles } from '../tests/e2e/mbtiles.mjs';

const [path] = process.argv.slice(2);
/** Central Kemerovo, both banks of the Tom. */
const CENTRE = [[55.32, 86.02], [55.39, 86.16]];
const tiles = await writeMbtiles(path, {
  box: CENTRE,
  minZoom: 10,
  maxZoom: 16,
  name: 'Кемерово: сетка для разработки',
  attribution: 'Сетка «Двора» для разработки, не карта',
});
console.log(`${path}: ${tiles} tiles, zoom 10 to 16`);
