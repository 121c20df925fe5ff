// cowork/sdk.hpp — everything a plugin author includes.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/barrier.hpp>
#include <cowork/sdk/error.hpp>
#include <cowork/sdk/host.hpp>
#include <cowork/sdk/interfaces.hpp>
#include <cowork/sdk/plugin.hpp>
#include <cowork/sdk/sink.hpp>
