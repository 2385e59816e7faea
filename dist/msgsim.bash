# bash completion for msgsim: its commands, each command's options, and .scn files.
_msgsim()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run check ipcs crosscheck quiz record help --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--format|-f)
		COMPREPLY=($(compgen -W "text jsonl" -- "$cur"))
		return ;;
	--output|-o)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--jsonl-schema)
		COMPREPLY=($(compgen -W "3 2" -- "$cur"))
		return ;;
	--seed|-s|--max-steps|--max-time|--max-memory|--max-lines|--step-timeout|-D|--define)
		return ;;
	esac
	local opts="-D --define --seed --max-steps --max-time --max-memory --help"
	case $cmd in
	run) opts="$opts --format --output --quiet --max-lines --program-output --schedule --source --color= --columns --explain --holders --jsonl-schema" ;;
	record) opts="$opts --explore --max-executions" ;;
	explore) opts="$opts --timing --max-executions --max-depth --format --output --no-reduction --stateful --stateless --no-symmetry --no-ample --dpor" ;;
	check) opts="-D --define --seed --help" ;;
	ipcs) opts="$opts -p -t -l -c -u -i -q -m -s -a" ;;
	crosscheck) opts="$opts --rows --step-timeout --no-namespace" ;;
	quiz) opts="$opts -s -c --answers" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -X '!*.scn' -- "$cur") $(compgen -d -- "$cur"))
	fi
}
complete -F _msgsim msgsim
