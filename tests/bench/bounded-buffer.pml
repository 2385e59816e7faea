/* bounded-buffer.pml — scenarios/explore/bounded-buffer.scn in Promela, for make bench.
 *
 * Three producers and three consumers share a channel of capacity 3; each producer sends 4
 * items, each consumer receives 4. The items are alike (the constant 1), as in the
 * scenario, so a consumer's received sequence is only its length, which its counter i
 * holds. pan checks every reachable state for invalid end states (a deadlock: some
 * process stopped short of its end) under partial-order reduction; msgsim explore checks
 * the same (expect never deadlock) over every schedule. The received value goes to m and
 * is cleared at once, so that it adds no states.
 */
#define NP 3
#define NC 3
#define N 4
chan buf = [3] of { byte };

active [NP] proctype producer()
{
	byte i = 0;
	do
	:: i < N -> buf ! 1; i++
	:: else -> break
	od
}

active [NC] proctype consumer()
{
	byte i = 0;
	byte m;
	do
	:: i < N -> buf ? m; m = 0; i++
	:: else -> break
	od
}
