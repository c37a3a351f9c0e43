module kindlab/runtime-capfilter

go 1.22
