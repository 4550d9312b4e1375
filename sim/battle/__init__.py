"""The state of one run as arrays, with no Mesa: the ground, the forces, the battlefield, the metrics.

- `geodesy`: projection, areas, point-in-polygon on a spherical Earth;
- `geography`: the hex map built from a map file (`HexMap`, `build_hexmap`);
- `forces`: one row per unit on the map (`Forces`);
- `records`: the events a turn counts and their sums over a run;
- `battlefield`: everything one run holds and changes (`Battlefield`), with the
  operations every phase shares;
- `metrics`: what a run reports, per turn and at its end, each declared once.
"""
