"""The turn, one module per phase, each a function `run(battlefield)` of `sim.battle.Battlefield`.

In the order the Mesa model's `step()` lists them:

    start        the turn begins: weather, orders, reinforcements  (`start.run`)
    1 recon      each side draws which enemy units it sees
    2 air        sorties meet air defence; glide bombs; air superiority
    3 ew         each side's jamming coverage over every hex
    4 fires      artillery, then FPV strike drones
    5 manoeuvre  units follow doctrine towards their goals; assaults are declared
    6 combat     every assault resolved at once; retreats and captures
    7 logistics  supply traced along the roads; rounds and drones delivered
      morale     losses and defeats erode morale; spent units leave
    8 control    abandoned pockets change hands; the turn is recorded

No phase imports the Mesa model or another phase: what one phase leaves for a later
one is a declared record on the battlefield (`recon`, `air`, `ew`, `supply`,
`this_turn`). Helpers that several phases share sit beside them: `targeting` (who
a strike aims at) and `doctrine` (what a unit does when the scenario has not said).
"""
