"""The support phases of the turn, one module each, acting on a `SudzhaModel`.

`recon` (phase 1), `air` (2), `ew` (3), `fires` (4: artillery and strike drones)
and `logistics` (the supply half of 7). Each has `setup(model)`, called once when
the model is built, and `run(model)`, called in its place in the turn. They gather
arrays from `model.forces`, call the pure rules of `sim.rules`, and apply results;
the model itself keeps manoeuvre, ground combat, morale and control.
"""
